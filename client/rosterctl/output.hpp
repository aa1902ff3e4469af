// How rosterctl prints: one JSON object with --json, aligned tables without.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "roster/result.hpp"
#include "roster/types.hpp"

namespace rosterctl {

// What a command produced: the JSON object and the text for people.
struct output {
  nlohmann::json json;
  std::string human;
};

inline output ok_output(std::string human = "ok") { return {{{"ok", true}}, std::move(human) + "\n"}; }

// Columns padded to their widest cell.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// RFC 3339 in UTC, millisecond precision.
std::string rfc3339(roster::Millis millis);

nlohmann::json error_json(const roster::Error& error);
nlohmann::json access_json(const roster::Invitation& inv);
std::string access_text(const roster::Invitation& inv);
nlohmann::json invitation_json(const roster::Invitation& inv);

// {"CATEGORY": "LEVEL", ...}; a level without a category is in "project".
nlohmann::json levels_json(const std::vector<roster::Level>& levels);
// "project=edit,flow=viewer", plus "+upload" and "+download".
std::string access_text(const roster::ProjectAccess& access);

}  // namespace rosterctl
