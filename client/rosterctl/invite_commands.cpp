// rosterctl invite ...: answering and managing invitations, and I8's bulk
// invitations.
#include "arguments.hpp"
#include "commands.hpp"

namespace rosterctl {
namespace {

using roster::Result;

// "team:ID" or "project:ID".
Result<roster::InviteTarget> parse_target(const std::string& text) {
  auto colon = text.find(':');
  auto kind = colon == std::string::npos ? std::string{} : text.substr(0, colon);
  if (kind != "team" && kind != "project")
    return roster::Error{roster::ErrorCode::invalid_argument,
                         "name a target as team:ID or project:ID, not '" + text + "'"};
  auto id = parse_id("TARGET", text.substr(colon + 1));
  if (!id) return id.error();
  return roster::InviteTarget{kind == "team" ? roster::TargetKind::team : roster::TargetKind::project, *id};
}

std::string target_text(const roster::InviteTarget& t) {
  return std::string(roster::to_string(t.kind)) + ":" + std::to_string(t.id);
}

void add_bulk(CLI::App* invite, command& run) {
  static std::vector<std::string> targets, invitees, levels;
  static bool view_datasets = false, view_code = false, upload = false, download = false;
  static std::string message, expires;
  auto* bulk = invite->add_subcommand("bulk", "invite several people to several teams and projects at once");
  bulk->add_option("--target", targets, "team:ID or project:ID (repeatable, up to 100)")->required();
  bulk->add_option("--invitee", invitees, "a username or an e-mail address (repeatable, up to 1000)")->required();
  bulk->add_flag("--view-datasets", view_datasets, "for teams: the member may see datasets");
  bulk->add_flag("--view-code", view_code, "for teams: the member may see code and notebooks");
  bulk->add_option("--level", levels, "for projects: L, or CATEGORY=L for each category");
  bulk->add_flag("--upload", upload, "for projects");
  bulk->add_flag("--download", download, "for projects");
  bulk->add_option("--message", message, "a note for the invitees");
  bulk->add_option("--expires", expires, "the membership or access ends then: an RFC 3339 time or 90s, 30m, 12h, 30d");
  bulk->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      roster::BulkInvitation request;
      for (const auto& t : targets) {
        auto target = parse_target(t);
        if (!target) return target.error();
        request.targets.push_back(*target);
      }
      request.invitees = invitees;
      request.team_flags = roster::MemberFlags{view_datasets, view_code};
      if (!levels.empty()) {
        auto parsed = parse_levels(levels);
        if (!parsed) return parsed.error();
        request.access.levels = *parsed;
      }
      request.access.upload = upload;
      request.access.download = download;
      auto ends = parse_expiry(expires, now_millis());
      if (!ends) return ends.error();
      request.access.expires = *ends;
      request.message = message;
      auto items = session.invite_bulk(request);
      if (!items) return items.error();
      output out{{{"results", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& item : *items) {
        nlohmann::json entry{{"target", target_text(item.target)}, {"invitee", item.invitee}};
        if (item.error) {
          entry["error"] = error_json(*item.error)["error"];
          rows.push_back(
              {target_text(item.target), item.invitee, "-", std::string(roster::to_string(item.error->code))});
        } else {
          entry["id"] = item.invitation;
          rows.push_back({target_text(item.target), item.invitee, std::to_string(item.invitation), "ok"});
        }
        out.json["results"].push_back(entry);
      }
      out.human = table({"TARGET", "INVITEE", "ID", "RESULT"}, rows);
      return out;
    };
  });
}

}  // namespace

void add_invite_commands(CLI::App& app, command& run) {
  auto* invite = app.add_subcommand("invite", "answer or manage an invitation")->require_subcommand(1);
  static std::string invitation_id;
  auto add = [&](const char* name, const char* help, Result<void> (roster::Session::*method)(roster::Id)) {
    auto* sub = invite->add_subcommand(name, help);
    sub->add_option("ID", invitation_id)->required();
    sub->callback([&run, method] {
      run = [method](roster::Client&, roster::Session& session) -> Result<output> {
        auto id = parse_id("ID", invitation_id);
        if (!id) return id.error();
        return void_result((session.*method)(*id));
      };
    });
  };
  add("accept", "accept an invitation addressed to you", &roster::Session::accept_invitation);
  add("reject", "reject an invitation addressed to you", &roster::Session::reject_invitation);
  add("cancel", "cancel (rescind) an invitation", &roster::Session::cancel_invitation);
  add("remind", "remind the invitee (at most once an hour)", &roster::Session::remind_invitation);
  add_bulk(invite, run);
}

}  // namespace rosterctl
