#include "arguments.hpp"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace rosterctl {
namespace {
roster::Error invalid(std::string message) {
  return roster::Error{roster::ErrorCode::invalid_argument, std::move(message)};
}
}  // namespace

roster::Result<std::vector<roster::Level>> parse_levels(const std::vector<std::string>& specs) {
  if (specs.empty()) return invalid("give a level with --level");
  std::vector<roster::Level> levels;
  for (const auto& spec : specs) {
    auto eq = spec.find('=');
    if (eq == std::string::npos)
      levels.push_back({"", spec});
    else
      levels.push_back({spec.substr(0, eq), spec.substr(eq + 1)});
    if (levels.back().level.empty()) return invalid("empty level in '" + spec + "'");
  }
  return levels;
}

roster::Result<roster::Id> parse_id(const std::string& what, const std::string& text) {
  bool digits = !text.empty() && text.size() <= 19;
  for (unsigned char c : text) digits = digits && std::isdigit(c);
  if (!digits) return invalid(what + " must be a numeric id, not '" + text + "'");
  return static_cast<roster::Id>(std::stoull(text));
}

roster::Result<roster::PlatformRole> parse_role(const std::string& text) {
  if (text == "standard") return roster::PlatformRole::standard;
  if (text == "admin") return roster::PlatformRole::admin;
  if (text == "read_only") return roster::PlatformRole::read_only;
  return invalid("a role is admin, standard or read_only");
}

roster::Result<roster::ProjectKind> parse_kind(const std::string& text) {
  if (text == "project") return roster::ProjectKind::project;
  if (text == "dataset") return roster::ProjectKind::dataset;
  if (text == "code") return roster::ProjectKind::code;
  if (text == "notebook") return roster::ProjectKind::notebook;
  return invalid("a kind is project, dataset, code or notebook");
}

roster::Result<roster::Policy> parse_policy(const std::string& text) {
  if (text == "highest") return roster::Policy::highest;
  if (text == "most_specific") return roster::Policy::most_specific;
  return invalid("a policy is highest or most_specific");
}

roster::Result<roster::InvitationStatus> parse_status(const std::string& text) {
  for (auto s :
       {roster::InvitationStatus::pending, roster::InvitationStatus::accepted, roster::InvitationStatus::rejected,
        roster::InvitationStatus::cancelled, roster::InvitationStatus::expired})
    if (text == roster::to_string(s)) return s;
  return invalid("a status is pending, accepted, rejected, cancelled or expired");
}

roster::Result<std::string> read_token(const std::string& token_file) {
  std::string path = token_file;
  if (path.empty()) {
    const char* env = std::getenv("ROSTER_TOKEN_FILE");
    path = env && *env ? env : "./data/service.token";
  }
  std::ifstream in(path);
  if (!in) return roster::Error{roster::ErrorCode::unauthenticated, "cannot read the token file " + path};
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    // "TOKEN" or "SCOPE TOKEN": the token is the last word.
    auto end = line.find_last_not_of(" \t\r");
    if (end == std::string::npos) continue;
    auto start = line.find_last_of(" \t", end);
    return line.substr(start == std::string::npos ? 0 : start + 1,
                       end - (start == std::string::npos ? 0 : start + 1) + 1);
  }
  return roster::Error{roster::ErrorCode::unauthenticated, "no token in " + path};
}

roster::Millis now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

roster::Result<roster::Millis> parse_expiry(const std::string& text, roster::Millis now) {
  if (text.empty()) return roster::Millis{0};
  auto bad = [&] {
    return invalid("--expires takes an RFC 3339 time (2026-12-31T18:00:00Z) or a duration (90s, 30m, 12h, 30d), not '" +
                   text + "'");
  };
  // A duration: digits and one unit.
  if (std::isdigit(static_cast<unsigned char>(text[0])) && text.find_first_not_of("0123456789") == text.size() - 1) {
    static const std::pair<char, roster::Millis> units[] = {
        {'s', 1000}, {'m', 60'000}, {'h', 3'600'000}, {'d', 86'400'000}};
    if (text.size() > 10) return bad();
    auto count = std::stoll(text.substr(0, text.size() - 1));
    for (const auto& [unit, millis] : units)
      if (text.back() == unit) return now + count * millis;
    return bad();
  }
  // YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)
  std::tm utc{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
                  &consumed) != 6 ||
      consumed != 19)
    return bad();
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad();
  std::string rest = text.substr(19);
  roster::Millis fraction = 0;
  if (!rest.empty() && rest[0] == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 1) return bad();
    auto ms = (rest.substr(1, digits - 1) + "00").substr(0, 3);
    fraction = std::stoll(ms);
    rest = rest.substr(digits);
  }
  roster::Millis offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(rest[1])) && std::isdigit(static_cast<unsigned char>(rest[2])) &&
             std::isdigit(static_cast<unsigned char>(rest[4])) && std::isdigit(static_cast<unsigned char>(rest[5]))) {
    offset = (std::stoll(rest.substr(1, 2)) * 60 + std::stoll(rest.substr(4, 2))) * 60'000;
    if (rest[0] == '-') offset = -offset;
  } else {
    return bad();
  }
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  auto seconds = timegm(&utc);
  return static_cast<roster::Millis>(seconds) * 1000 + fraction - offset;
}

}  // namespace rosterctl
