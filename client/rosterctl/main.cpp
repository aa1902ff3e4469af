// rosterctl: the command-line client of rosterd (see shared/CLI.md).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string_view>

#include "arguments.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "roster/client.hpp"

namespace {

using roster::Result;
using rosterctl::command;
using rosterctl::id_output;
using rosterctl::output;
using rosterctl::void_result;

struct globals {
  std::string connect = "127.0.0.1:4100";
  std::string token_file;
  std::string as;
  bool json = false;
  bool tls = false;
  std::string tls_ca;
  std::string tls_server_name;
  std::uint64_t at_least_revision = 0;
};

void add_team_management_commands(CLI::App* team, command& run);
void add_user_admin_commands(CLI::App* user, command& run);

void add_user_commands(CLI::App& app, command& run, const std::string& acting) {
  auto* user = app.add_subcommand("user", "users of the platform")->require_subcommand(1);
  auto* add = user->add_subcommand("add", "register a user");
  static std::string username, email, name, role = "standard", tenant;
  add->add_option("USERNAME", username)->required();
  add->add_option("EMAIL", email)->required();
  add->add_option("--name", name, "display name");
  add->add_option("--role", role, "admin, standard or read_only");
  add->add_option("--tenant", tenant, "the tenant, by id or name (default: default)");
  add_user_admin_commands(user, run);
  add->callback([&run, &acting] {
    run = [&acting](roster::Client& client, roster::Session& session) -> Result<output> {
      auto parsed = rosterctl::parse_role(role);
      if (!parsed) return parsed.error();
      auto named = tenant.empty() ? roster::TenantRef{} : roster::TenantRef::parse(tenant);
      // With --as, the acting user's right to add users is what counts;
      // without, the token's (a tenant's token adds to its tenant, N5).
      auto id = acting.empty() ? client.add_user(username, email, name, *parsed, named)
                               : session.add_user(username, email, name, *parsed, named);
      if (!id) return id.error();
      return id_output(*id);
    };
  });
}

void add_user_admin_commands(CLI::App* user, command& run) {
  static std::string who, value;
  auto* show = user->add_subcommand("show", "a user's profile");
  show->add_option("USER", who)->required();
  show->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto u = session.show_user(roster::UserRef::parse(who));
      if (!u) return u.error();
      output out;
      out.json = {{"id", u->id},
                  {"username", u->username},
                  {"email", u->email},
                  {"name", u->name},
                  {"role", roster::to_string(u->role)},
                  {"team_manager", u->team_manager},
                  {"tenant", u->tenant},
                  {"tenant_admin", u->tenant_admin},
                  {"removed", u->removed}};
      out.human = rosterctl::table(
          {"ID", "USERNAME", "EMAIL", "NAME", "ROLE", "TEAM_MANAGER", "TENANT", "TENANT_ADMIN", "REMOVED"},
          {{std::to_string(u->id), u->username, u->email, u->name, roster::to_string(u->role),
            u->team_manager ? "yes" : "no", std::to_string(u->tenant), u->tenant_admin ? "yes" : "no",
            u->removed ? "yes" : "no"}});
      return out;
    };
  });
  auto* role = user->add_subcommand("role", "set a user's platform role (admins of the platform or tenant)");
  role->add_option("USER", who)->required();
  role->add_option("ROLE", value, "admin, standard or read_only")->required();
  role->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto parsed = rosterctl::parse_role(value);
      if (!parsed) return parsed.error();
      return void_result(session.set_role(roster::UserRef::parse(who), *parsed));
    };
  });
  auto* remove = user->add_subcommand("remove", "remove a user from the platform (admins only)");
  remove->add_option("USER", who)->required();
  remove->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      return void_result(session.remove_user(roster::UserRef::parse(who)));
    };
  });
  auto* manager = user->add_subcommand("team-manager", "let a user create teams when only team managers may");
  manager->add_option("USER", who)->required();
  manager->add_option("ON_OFF", value)->required()->check(CLI::IsMember({"on", "off"}));
  manager->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      return void_result(session.set_team_manager(roster::UserRef::parse(who), value == "on"));
    };
  });
  auto* tenant_admin = user->add_subcommand("tenant-admin", "let a user administer their tenant (N4)");
  tenant_admin->add_option("USER", who)->required();
  tenant_admin->add_option("ON_OFF", value)->required()->check(CLI::IsMember({"on", "off"}));
  tenant_admin->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      return void_result(session.set_tenant_admin(roster::UserRef::parse(who), value == "on"));
    };
  });
}

void add_team_commands(CLI::App& app, command& run) {
  auto* team = app.add_subcommand("team", "teams and their members")->require_subcommand(1);

  static std::string name, icon;
  auto* create = team->add_subcommand("create", "create a team; you become its manager");
  create->add_option("NAME", name)->required();
  create->add_option("--icon", icon, "an emoji or a URL");
  create->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = session.create_team(name, icon);
      if (!id) return id.error();
      return id_output(*id);
    };
  });

  static std::string team_id, message, expires;
  static std::vector<std::string> invitees;
  static bool view_datasets = false, view_code = false;
  auto* invite = team->add_subcommand("invite", "invite users by username or e-mail");
  invite->add_option("TEAM", team_id)->required();
  invite->add_option("INVITEE", invitees)->required();
  invite->add_flag("--view-datasets", view_datasets, "the member may see datasets shared with the team");
  invite->add_flag("--view-code", view_code, "the member may see code and notebooks shared with the team");
  invite->add_option("--message", message, "a note for the invitee");
  invite->add_option("--expires", expires, "the membership ends then: an RFC 3339 time or 90s, 30m, 12h, 30d");
  invite->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto team = rosterctl::parse_id("TEAM", team_id);
      if (!team) return team.error();
      auto ends = rosterctl::parse_expiry(expires, rosterctl::now_millis());
      if (!ends) return ends.error();
      roster::MemberFlags flags{view_datasets, view_code};
      if (invitees.size() == 1) {
        auto id = session.invite_to_team(*team, invitees[0], flags, message, *ends);
        if (!id) return id.error();
        return id_output(*id);
      }
      output out{{{"results", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& invitee : invitees) {
        auto id = session.invite_to_team(*team, invitee, flags, message, *ends);
        if (id) {
          out.json["results"].push_back({{"invitee", invitee}, {"id", *id}});
          rows.push_back({invitee, std::to_string(*id), ""});
        } else {
          out.json["results"].push_back({{"invitee", invitee}, {"error", rosterctl::error_json(id.error())["error"]}});
          rows.push_back({invitee, "-", std::string(roster::to_string(id.error().code)) + ": " + id.error().message});
        }
      }
      out.human = rosterctl::table({"INVITEE", "INVITATION", "ERROR"}, rows);
      return out;
    };
  });

  static std::string show_id;
  auto* show = team->add_subcommand("show", "a team, its members and (for its managers) invitations");
  show->add_option("TEAM", show_id)->required();
  show->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = rosterctl::parse_id("TEAM", show_id);
      if (!id) return id.error();
      auto team = session.show_team(*id);
      if (!team) return team.error();
      output out;
      out.json = {{"id", team->id},
                  {"name", team->name},
                  {"icon", team->icon},
                  {"admission", roster::to_string(team->admission)},
                  {"members", nlohmann::json::array()},
                  {"invitations", nlohmann::json::array()}};
      std::vector<std::vector<std::string>> members, invitations;
      for (const auto& m : team->members) {
        out.json["members"].push_back({{"user", m.user},
                                       {"username", m.username},
                                       {"role", roster::to_string(m.role)},
                                       {"view_datasets", m.flags.view_datasets},
                                       {"view_code", m.flags.view_code}});
        if (m.expires != 0) out.json["members"].back()["expires"] = rosterctl::rfc3339(m.expires);
        members.push_back({std::to_string(m.user), m.username, roster::to_string(m.role),
                           m.flags.view_datasets ? "yes" : "no", m.flags.view_code ? "yes" : "no",
                           m.expires != 0 ? rosterctl::rfc3339(m.expires) : "-"});
      }
      for (const auto& inv : team->invitations) {
        out.json["invitations"].push_back(rosterctl::invitation_json(inv));
        invitations.push_back({std::to_string(inv.id), inv.invitee_name.empty() ? inv.invitee_email : inv.invitee_name,
                               roster::to_string(inv.status), rosterctl::access_text(inv),
                               rosterctl::rfc3339(inv.expires)});
      }
      out.human = "team " + std::to_string(team->id) + "  " + rosterctl::printable(team->name) +
                  (team->icon.empty() ? "" : "  " + rosterctl::printable(team->icon)) +
                  "  admission: " + roster::to_string(team->admission) + "\n\n" +
                  rosterctl::table({"USER", "USERNAME", "ROLE", "VIEW_DATASETS", "VIEW_CODE", "UNTIL"}, members);
      if (!invitations.empty())
        out.human += "\n" + rosterctl::table({"INVITATION", "INVITEE", "STATUS", "ACCESS", "EXPIRES"}, invitations);
      return out;
    };
  });

  add_team_management_commands(team, run);

  static std::string leave_id;
  auto* leave = team->add_subcommand("leave", "leave a team");
  leave->add_option("TEAM", leave_id)->required();
  leave->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = rosterctl::parse_id("TEAM", leave_id);
      if (!id) return id.error();
      return void_result(session.leave_team(*id));
    };
  });
}

// `team set|admin|add|remove|transfer|delete|list`: managing a team (T2-T9).
void add_team_management_commands(CLI::App* team, command& run) {
  static std::string team_id, user, on_off, name, icon, admission, expires;
  static std::vector<std::string> users;
  static bool view_datasets = false, view_code = false;
  auto team_arg = [](CLI::App* sub) { sub->add_option("TEAM", team_id)->required(); };
  auto with_team = [](auto body) {
    return [body](roster::Client& client, roster::Session& session) -> Result<output> {
      auto id = rosterctl::parse_id("TEAM", team_id);
      if (!id) return id.error();
      return body(client, session, *id);
    };
  };

  team->add_subcommand("list", "every team, with its member count")->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto teams = session.list_teams();
      if (!teams) return teams.error();
      output out{{{"teams", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& t : *teams) {
        out.json["teams"].push_back({{"id", t.id}, {"name", t.name}, {"icon", t.icon}, {"members", t.members}});
        rows.push_back({std::to_string(t.id), t.name, t.icon, std::to_string(t.members)});
      }
      out.human = rosterctl::table({"ID", "NAME", "ICON", "MEMBERS"}, rows);
      return out;
    };
  });

  auto* set = team->add_subcommand("set", "rename a team, change its icon or admission");
  team_arg(set);
  set->add_option("--name", name);
  set->add_option("--icon", icon);
  set->add_option("--admission", admission, "invite or direct");
  set->callback([&run, set, with_team] {
    run = with_team([set](roster::Client&, roster::Session& session, roster::Id id) -> Result<output> {
      roster::TeamChanges changes;
      if (set->count("--name")) changes.name = name;
      if (set->count("--icon")) changes.icon = icon;
      if (set->count("--admission")) {
        if (admission != "invite" && admission != "direct")
          return roster::Error{roster::ErrorCode::invalid_argument, "admission is invite or direct"};
        changes.admission = admission == "direct" ? roster::Admission::direct : roster::Admission::invite;
      }
      return void_result(session.set_team(id, changes));
    });
  });

  auto* admin = team->add_subcommand("admin", "make a member an admin (on) or a member again (off)");
  team_arg(admin);
  admin->add_option("USER", user)->required();
  admin->add_option("ON_OFF", on_off)->required()->check(CLI::IsMember({"on", "off"}));
  admin->callback([&run, with_team] {
    run = with_team([](roster::Client&, roster::Session& session, roster::Id id) -> Result<output> {
      return void_result(session.set_team_admin(id, roster::UserRef::parse(user), on_off == "on"));
    });
  });

  auto* add = team->add_subcommand("add", "add users at once (teams with direct admission)");
  team_arg(add);
  add->add_option("USER", users)->required();
  add->add_flag("--view-datasets", view_datasets);
  add->add_flag("--view-code", view_code);
  add->add_option("--expires", expires, "the membership ends then: an RFC 3339 time or 90s, 30m, 12h, 30d");
  add->callback([&run, with_team] {
    run = with_team([](roster::Client&, roster::Session& session, roster::Id id) -> Result<output> {
      auto ends = rosterctl::parse_expiry(expires, rosterctl::now_millis());
      if (!ends) return ends.error();
      roster::MemberFlags flags{view_datasets, view_code};
      if (users.size() == 1)
        return void_result(session.add_to_team(id, roster::UserRef::parse(users[0]), flags, *ends));
      // Several users: one result each; the call itself was carried out.
      output out{{{"ok", true}, {"results", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& u : users) {
        auto r = session.add_to_team(id, roster::UserRef::parse(u), flags, *ends);
        if (r) {
          out.json["results"].push_back({{"user", u}});
          rows.push_back({u, "added"});
        } else {
          out.json["ok"] = false;
          out.json["results"].push_back({{"user", u}, {"error", rosterctl::error_json(r.error())["error"]}});
          rows.push_back({u, std::string(roster::to_string(r.error().code)) + ": " + r.error().message});
        }
      }
      out.human = rosterctl::table({"USER", "RESULT"}, rows);
      return out;
    });
  });

  auto user_command = [&](const char* name, const char* help, auto call) {
    auto* sub = team->add_subcommand(name, help);
    team_arg(sub);
    sub->add_option("USER", user)->required();
    sub->callback([&run, with_team, call] {
      run = with_team([call](roster::Client&, roster::Session& session, roster::Id id) -> Result<output> {
        return void_result(call(session, id, roster::UserRef::parse(user)));
      });
    });
  };
  user_command("remove", "remove a member",
               [](roster::Session& s, roster::Id id, const roster::UserRef& u) { return s.remove_from_team(id, u); });
  user_command("transfer", "hand the manager role to a member",
               [](roster::Session& s, roster::Id id, const roster::UserRef& u) { return s.transfer_team(id, u); });

  auto* remove_team = team->add_subcommand("delete", "delete a team: its grants go, its members are told");
  team_arg(remove_team);
  remove_team->callback([&run, with_team] {
    run = with_team([](roster::Client&, roster::Session& session, roster::Id id) -> Result<output> {
      return void_result(session.delete_team(id));
    });
  });
}

void add_inbox_command(CLI::App& app, command& run) {
  static std::string status;
  static unsigned limit = 50;
  static roster::Id after = 0;
  auto* inbox = app.add_subcommand("inbox", "your invitations and notifications, newest first");
  inbox->add_option("--status", status, "only invitations with this status");
  inbox->add_option("--limit", limit, "entries per page (default 50)");
  inbox->add_option("--after", after, "the cursor printed as `next` by the previous page");
  static std::string read_id;
  static bool read_all = false;
  auto* read = inbox->add_subcommand("read", "mark a notification read, or --all");
  read->add_option("ID", read_id);
  read->add_flag("--all", read_all);
  read->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      if (read_all) return void_result(session.mark_all_read());
      auto id = rosterctl::parse_id("ID", read_id);
      if (!id) return id.error();
      return void_result(session.mark_read(*id));
    };
  });
  inbox->callback([&run, read] {
    if (read->parsed()) return;
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      roster::InboxQuery query;
      if (!status.empty()) {
        auto parsed = rosterctl::parse_status(status);
        if (!parsed) return parsed.error();
        query.status = *parsed;
      }
      query.limit = limit;
      query.after = after;
      auto box = session.inbox(query);
      if (!box) return box.error();
      output out;
      out.json = {{"unread", box->unread},
                  {"invitations", nlohmann::json::array()},
                  {"notifications", nlohmann::json::array()}};
      std::vector<std::vector<std::string>> invitations, notes;
      for (const auto& inv : box->invitations) {
        out.json["invitations"].push_back(rosterctl::invitation_json(inv));
        invitations.push_back(
            {std::to_string(inv.id),
             std::string(roster::to_string(inv.target_kind)) + " " + std::to_string(inv.target) + " " + inv.target_name,
             inv.inviter_name.empty() ? "the service" : inv.inviter_name, roster::to_string(inv.status),
             rosterctl::access_text(inv), rosterctl::rfc3339(inv.expires), inv.message});
      }
      for (const auto& n : box->notifications) {
        nlohmann::json j = {
            {"id", n.id}, {"kind", roster::to_string(n.kind)}, {"read", n.read}, {"time", rosterctl::rfc3339(n.time)}};
        if (n.invitation) j["invitation"] = n.invitation;
        if (n.subject) j["subject"] = n.subject;
        out.json["notifications"].push_back(j);
        notes.push_back({std::to_string(n.id), roster::to_string(n.kind), n.read ? "read" : "unread",
                         rosterctl::rfc3339(n.time), n.invitation ? std::to_string(n.invitation) : "-"});
      }
      if (box->next) out.json["next"] = box->next;
      out.human =
          "unread: " + std::to_string(box->unread) + "\n\n" +
          rosterctl::table({"INVITATION", "TARGET", "FROM", "STATUS", "ACCESS", "EXPIRES", "MESSAGE"}, invitations) +
          "\n" + rosterctl::table({"NOTIFICATION", "KIND", "READ", "TIME", "INVITATION"}, notes);
      if (box->next) out.human += "\nmore: --after " + std::to_string(box->next) + "\n";
      return out;
    };
  });
}

int run_command(int argc, char** argv) {
  CLI::App app{"rosterctl: drive a running rosterd"};
  app.fallthrough();
  app.require_subcommand(1);
  globals g;
  app.add_option("--connect", g.connect, "HOST:PORT of rosterd (default 127.0.0.1:4100)");
  app.add_option("--token-file", g.token_file,
                 "the service token (default $ROSTER_TOKEN_FILE, then ./data/service.token)");
  app.add_option("--as", g.as, "the acting user (username or id); without it, the service itself");
  app.add_flag("--json", g.json, "print one JSON object");
  app.add_option("--at-least-revision", g.at_least_revision,
                 "reads (check, explain, lookup) answer from a state at least as new as this revision, which a "
                 "write printed (C7)");
  app.add_flag("--tls", g.tls, "speak TLS, trusting the system's certificate authorities");
  app.add_option("--tls-ca", g.tls_ca, "speak TLS, trusting the certificates in this PEM file (implies --tls)");
  app.add_option("--tls-server-name", g.tls_server_name,
                 "the name the server's certificate must carry (default: the host of --connect; implies --tls)");

  command run;
  app.add_subcommand("ping", "is the server there?")->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto r = client.ping();
      if (!r) return r.error();
      return rosterctl::ok_output("pong");
    };
  });
  static std::string backup_dir;
  auto* backup = app.add_subcommand(
      "backup",
      "copy the server's data, online and consistent, into DIR on the server's machine "
      "(new or empty; relative paths are taken from here); start rosterd with --data-dir DIR to restore");
  backup->add_option("DIR", backup_dir, "where the copy goes")->required();
  backup->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto directory = std::filesystem::absolute(backup_dir).lexically_normal().string();
      auto r = client.backup(directory);
      if (!r) return r.error();
      output out = rosterctl::ok_output("backed up into " + directory);
      out.json["directory"] = directory;
      return out;
    };
  });
  add_user_commands(app, run, g.as);
  add_team_commands(app, run);
  rosterctl::add_invite_commands(app, run);
  add_inbox_command(app, run);
  rosterctl::add_project_commands(app, run);
  rosterctl::add_query_commands(app, run);
  rosterctl::add_tenant_commands(app, run);
  rosterctl::add_watch_command(app, run, g.json);

  auto report = [&](const roster::Error& error) {
    if (g.json)
      std::cout << rosterctl::json_line(rosterctl::error_json(error)) << std::endl;
    else
      std::cerr << "rosterctl: " << roster::to_string(error.code) << ": " << error.message << std::endl;
    return 1;
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // A script under --json reads one error object, whatever went wrong
    // (CLI.md); the flag counts wherever it stood, even past the mistake.
    bool json = false;
    for (int i = 1; i < argc; ++i) json |= std::string_view(argv[i]) == "--json";
    if (!json) return app.exit(e);
    g.json = true;
    return report(roster::Error{roster::ErrorCode::invalid_argument, e.what()});
  }
  // Some commands are the service's own acts, with no acting user to name.
  for (const auto* name : {"ping", "backup", "check", "explain", "lookup", "watch"})
    if (!g.as.empty() && app.got_subcommand(name))
      return report(roster::Error{roster::ErrorCode::invalid_argument,
                                  std::string(name) + " is the service's act and takes no --as"});

  auto token = rosterctl::read_token(g.token_file);
  if (!token) return report(token.error());
  auto client = g.tls || !g.tls_ca.empty() || !g.tls_server_name.empty()
                    ? roster::Client::connect(g.connect, *token, roster::TlsOptions{g.tls_ca, g.tls_server_name})
                    : roster::Client::connect(g.connect, *token);
  if (!client) return report(client.error());
  auto session = g.as.empty() ? client.value().as_service() : client.value().act_as(roster::UserRef::parse(g.as));
  client.value().read_at_least(g.at_least_revision);
  auto result = run(client.value(), session);
  if (!result) return report(result.error());
  // C7: a write prints the revision it answered, at which it is visible.
  if (auto revision = client.value().revision(); revision > 0 && result->json.is_object())
    result->json["revision"] = revision;
  if (g.json)
    std::cout << rosterctl::json_line(result->json) << std::endl;
  else
    std::cout << result->human;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // What escapes a command (memory exhausted, an output stream that broke)
  // ends it with a sentence and exit 1, as CLI.md's errors do, not an abort.
  try {
    return run_command(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rosterctl: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "rosterctl: an unexpected failure\n");
  }
  return 1;
}
