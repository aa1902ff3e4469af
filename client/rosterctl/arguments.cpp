#include "arguments.hpp"

#include <cctype>
#include <cstdlib>
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

}  // namespace rosterctl
