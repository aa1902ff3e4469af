// rosterctl watch (C8): every change after a revision, one line each, each
// line flushed, until interrupted.
#include <iostream>
#include <optional>

#include "commands.hpp"

namespace rosterctl {
namespace {

using roster::Result;

nlohmann::json change_json(const roster::Change& c) {
  nlohmann::json j = {{"revision", c.revision}, {"kind", roster::to_string(c.kind)}, {"removed", c.removed}};
  switch (c.kind) {
    case roster::ChangeKind::user:
      j["user"] = {{"id", c.user.id},
                   {"username", c.user.username},
                   {"email", c.user.email},
                   {"name", c.user.name},
                   {"role", roster::to_string(c.user.role)},
                   {"team_manager", c.user.team_manager},
                   {"tenant", c.user.tenant},
                   {"tenant_admin", c.user.tenant_admin}};
      break;
    case roster::ChangeKind::team:
      j["team"] = {{"id", c.team.id},
                   {"name", c.team.name},
                   {"icon", c.team.icon},
                   {"admission", roster::to_string(c.team.admission)}};
      break;
    case roster::ChangeKind::member:
      if (c.removed) {
        j["member"] = {{"team", c.member_team}, {"user", c.member.user}};
        break;
      }
      j["member"] = {{"team", c.member_team},
                     {"user", c.member.user},
                     {"username", c.member.username},
                     {"role", roster::to_string(c.member.role)},
                     {"view_datasets", c.member.flags.view_datasets},
                     {"view_code", c.member.flags.view_code}};
      if (c.member.expires != 0) j["member"]["expires"] = rfc3339(c.member.expires);
      break;
    case roster::ChangeKind::invitation:
      j["invitation"] = invitation_json(c.invitation);
      break;
    case roster::ChangeKind::project:
      j["project"] = {{"id", c.project.id},
                      {"name", c.project.name},
                      {"kind", roster::to_string(c.project.kind)},
                      {"owner", c.project.owner},
                      {"schema", c.project.schema},
                      {"policy", roster::to_string(c.project.policy)},
                      {"created", rfc3339(c.project.created)}};
      break;
    case roster::ChangeKind::grant:
      j["grant"] = {{"project", c.grant.project},
                    {"subject", {{"kind", c.grant.to_team ? "team" : "user"}, {"id", c.grant.subject}}}};
      if (!c.removed) {
        j["grant"]["levels"] = c.grant.levels;
        j["grant"]["upload"] = c.grant.upload;
        j["grant"]["download"] = c.grant.download;
        if (c.grant.expires != 0) j["grant"]["expires"] = rfc3339(c.grant.expires);
      }
      break;
  }
  return j;
}

// For people: the revision, the kind, and the fields as key=value.
std::string change_text(const nlohmann::json& j) {
  auto kind = j["kind"].get<std::string>();
  std::string line = std::to_string(j["revision"].get<std::uint64_t>()) + " " + kind;
  if (j["removed"].get<bool>()) line += " removed";
  for (const auto& [key, value] : j[kind].items())
    line += " " + key + "=" + printable(value.is_string() ? value.get<std::string>() : value.dump());
  return line;
}

}  // namespace

void add_watch_command(CLI::App& app, command& run, const bool& json) {
  static std::optional<std::uint64_t> from;
  auto* watch = app.add_subcommand("watch",
                                   "print every change after revision REV (default: from now), one per line, "
                                   "until interrupted (admin tokens)");
  watch->add_option("--from", from, "the last revision already seen: changes after it follow");
  watch->callback([&run, &json] {
    run = [&json](roster::Client& client, roster::Session&) -> Result<output> {
      auto watched = client.watch(from, [&json](const std::vector<roster::Change>& changes) {
        for (const auto& change : changes) {
          auto j = change_json(change);
          std::cout << (json ? json_line(j) : change_text(j)) << std::endl;
        }
        return true;
      });
      if (!watched) return watched.error();
      return ok_output("the watch ended");
    };
  });
}

}  // namespace rosterctl
