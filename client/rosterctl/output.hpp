// How rosterctl prints: one JSON object with --json, aligned tables without.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
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

// The one line of JSON rosterctl prints: bytes that are not UTF-8, which
// no server of ours stores but an older one may have, print as U+FFFD
// instead of aborting the command.
std::string json_line(const nlohmann::json& json);

// `text` as one line a terminal shows as it is: control, direction and
// invisible characters as \u{XXXX}, broken UTF-8 as U+FFFD.
std::string printable(std::string_view text);

// Columns padded to their widest cell, each cell printable(), widths in
// characters.
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
