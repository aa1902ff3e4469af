#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "roster/utf8.hpp"

namespace rosterctl {

std::string json_line(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto start = i;
    auto c = roster::utf8::decode(text, &i);
    if (!c) {
      out += "\xef\xbf\xbd";  // U+FFFD
      ++i;
    } else if (roster::utf8::is_control(*c) || roster::utf8::is_deceptive(*c)) {
      char escaped[16];
      std::snprintf(escaped, sizeof escaped, "\\u{%04X}", static_cast<unsigned>(*c));
      out += escaped;
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

namespace {
// Characters, not bytes: what a terminal advances for most scripts (wide
// East Asian characters and emoji take two columns and still misalign).
std::size_t characters(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count)
    if (!roster::utf8::decode(text, &i)) ++i;
  return count;
}
}  // namespace

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  cells.push_back(header);
  for (const auto& row : rows) {
    cells.emplace_back();
    for (const auto& cell : row) cells.back().push_back(printable(cell));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], characters(row[i]));
  std::ostringstream out;
  for (const auto& row : cells) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size() && i < widths.size()) out << std::string(widths[i] - characters(row[i]) + 2, ' ');
    }
    out << '\n';
  }
  return out.str();
}

std::string rfc3339(roster::Millis millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[48];
  std::snprintf(with_millis, sizeof with_millis, "%s.%03dZ", buffer, static_cast<int>(millis % 1000));
  return with_millis;
}

nlohmann::json error_json(const roster::Error& error) {
  return {{"error", {{"code", std::string(roster::to_string(error.code))}, {"message", error.message}}}};
}

nlohmann::json access_json(const roster::Invitation& inv) {
  if (inv.target_kind == roster::TargetKind::team) {
    nlohmann::json access{{"view_datasets", inv.team_flags.view_datasets}, {"view_code", inv.team_flags.view_code}};
    if (inv.membership_expires) access["expires"] = rfc3339(inv.membership_expires);
    return access;
  }
  nlohmann::json levels = nlohmann::json::object();
  for (const auto& level : inv.project_access.levels)
    levels[level.category.empty() ? "project" : level.category] = level.level;
  nlohmann::json access{
      {"levels", levels}, {"upload", inv.project_access.upload}, {"download", inv.project_access.download}};
  if (inv.project_access.expires) access["expires"] = rfc3339(inv.project_access.expires);
  return access;
}

std::string access_text(const roster::Invitation& inv) {
  std::string out;
  auto add = [&](const std::string& word) { out += (out.empty() ? "" : ",") + word; };
  if (inv.target_kind == roster::TargetKind::team) {
    if (inv.team_flags.view_datasets) add("view_datasets");
    if (inv.team_flags.view_code) add("view_code");
    if (inv.membership_expires) out = (out.empty() ? "member" : out) + " until " + rfc3339(inv.membership_expires);
  } else {
    for (const auto& level : inv.project_access.levels)
      add(level.category.empty() ? level.level : level.category + "=" + level.level);
    if (inv.project_access.upload) add("upload");
    if (inv.project_access.download) add("download");
  }
  return out.empty() ? "-" : out;
}

nlohmann::json invitation_json(const roster::Invitation& inv) {
  nlohmann::json j = {{"id", inv.id},
                      {"target", {{"kind", roster::to_string(inv.target_kind)}, {"id", inv.target}}},
                      {"inviter", inv.inviter},
                      {"invitee", inv.invitee},
                      {"status", roster::to_string(inv.status)},
                      {"access", access_json(inv)},
                      {"created", rfc3339(inv.created)},
                      {"expires", rfc3339(inv.expires)},
                      {"reminders", inv.reminders}};
  if (!inv.invitee_email.empty()) j["invitee_email"] = inv.invitee_email;
  if (!inv.message.empty()) j["message"] = inv.message;
  if (!inv.target_name.empty()) j["target_name"] = inv.target_name;
  if (!inv.inviter_name.empty()) j["inviter_name"] = inv.inviter_name;
  if (!inv.invitee_name.empty()) j["invitee_name"] = inv.invitee_name;
  return j;
}

nlohmann::json levels_json(const std::vector<roster::Level>& levels) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& level : levels) out[level.category.empty() ? "project" : level.category] = level.level;
  return out;
}

std::string access_text(const roster::ProjectAccess& access) {
  std::string out;
  for (const auto& level : access.levels)
    out += (out.empty() ? "" : ",") + (level.category.empty() ? "project" : level.category) + "=" + level.level;
  if (access.upload) out += "+upload";
  if (access.download) out += "+download";
  if (access.expires) out += " until " + rfc3339(access.expires);
  return out.empty() ? "-" : out;
}

}  // namespace rosterctl
