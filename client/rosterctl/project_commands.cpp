// rosterctl project ...: projects, their collaborators and their history.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arguments.hpp"
#include "commands.hpp"

namespace rosterctl {
namespace {

using roster::Result;

// "user:USER" or "team:TEAM".
Result<roster::GrantSubject> parse_subject(const std::string& text) {
  auto colon = text.find(':');
  auto kind = text.substr(0, colon == std::string::npos ? 0 : colon);
  auto rest = colon == std::string::npos ? std::string{} : text.substr(colon + 1);
  if (kind == "user" && !rest.empty()) return roster::GrantSubject::of_user(roster::UserRef::parse(rest));
  if (kind == "team") {
    auto team = parse_id("TEAM", rest);
    if (!team) return team.error();
    return roster::GrantSubject::of_team(*team);
  }
  return roster::Error{roster::ErrorCode::invalid_argument,
                       "name the grant as user:USER or team:TEAM, not '" + text + "'"};
}

// --schema: simple, categories, or a JSON file holding a custom schema.
Result<std::string> schema_text(const std::string& value) {
  if (value == "simple" || value == "categories") return value;
  auto unreadable = [&](const std::string& why) {
    return roster::Error{roster::ErrorCode::invalid_argument, "the schema file '" + value + "' " + why};
  };
  // An empty text would mean the default schema on the wire: a file that
  // gives nothing must not silently become a simple project (P3).
  std::error_code ec;
  if (!std::filesystem::is_regular_file(value, ec)) return unreadable("is not a readable file");
  std::ifstream in(value);
  if (!in) return unreadable("cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return unreadable("cannot be read");
  if (text.str().empty()) return unreadable("is empty");
  return text.str();
}

nlohmann::json project_summary_json(const roster::Project& p) {
  return {{"id", p.id}, {"name", p.name}, {"kind", roster::to_string(p.kind)}, {"owner", p.owner}};
}

// Every page of a listing, so nothing is silently left out.
template <class Fetch>
Result<std::vector<roster::Project>> all_pages(Fetch fetch) {
  std::vector<roster::Project> all;
  roster::PageQuery query{1000, 0};
  do {
    auto page = fetch(query);
    if (!page) return page.error();
    all.insert(all.end(), page->projects.begin(), page->projects.end());
    query.after = page->next;
  } while (query.after != 0);
  return all;
}

void add_create(CLI::App* project, command& run) {
  static std::string name, kind = "project", schema = "simple", policy = "highest";
  auto* create = project->add_subcommand("create", "create a project; you become its owner");
  create->add_option("NAME", name)->required();
  create->add_option("--kind", kind, "project, dataset, code or notebook");
  create->add_option("--schema", schema, "simple, categories, or a JSON file with a custom schema");
  create->add_option("--policy", policy, "highest or most_specific");
  create->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto k = parse_kind(kind);
      if (!k) return k.error();
      auto p = parse_policy(policy);
      if (!p) return p.error();
      auto text = schema_text(schema);
      if (!text) return text.error();
      auto id = session.create_project(name, *k, *text, *p);
      if (!id) return id.error();
      return id_output(*id);
    };
  });
}

void add_list_and_show(CLI::App* project, command& run) {
  project->add_subcommand("list", "the projects you see")->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto all = all_pages([&](const roster::PageQuery& q) { return session.list_projects(q); });
      if (!all) return all.error();
      return projects_output(*all);
    };
  });
  static std::string project_id;
  auto* show = project->add_subcommand("show", "a project's kind, owner, schema and policy");
  show->add_option("PROJECT", project_id)->required();
  show->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto p = session.show_project(*id);
      if (!p) return p.error();
      output out;
      out.json = project_summary_json(*p);
      out.json["schema"] = p->schema;
      out.json["policy"] = roster::to_string(p->policy);
      out.human = table({"ID", "NAME", "KIND", "OWNER", "SCHEMA", "POLICY"},
                        {{std::to_string(p->id), p->name, roster::to_string(p->kind), std::to_string(p->owner),
                          p->schema, roster::to_string(p->policy)}});
      return out;
    };
  });
}

void add_invite_and_grant(CLI::App* project, command& run) {
  static std::string project_id, invitee, team_id, message, expires;
  static std::vector<std::string> levels;
  static bool upload = false, download = false;
  auto* invite = project->add_subcommand("invite", "invite a user as a collaborator");
  invite->add_option("PROJECT", project_id)->required();
  invite->add_option("INVITEE", invitee, "a username or an e-mail address")->required();
  invite->add_option("--level", levels, "L, or CATEGORY=L for each category")->required();
  invite->add_flag("--upload", upload);
  invite->add_flag("--download", download);
  invite->add_option("--message", message);
  invite->add_option("--expires", expires, "the access ends then: an RFC 3339 time or 90s, 30m, 12h, 30d");
  invite->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto parsed = parse_levels(levels);
      if (!parsed) return parsed.error();
      auto ends = parse_expiry(expires, now_millis());
      if (!ends) return ends.error();
      auto inv =
          session.invite_to_project(*id, invitee, roster::ProjectAccess{*parsed, upload, download, *ends}, message);
      if (!inv) return inv.error();
      return id_output(*inv);
    };
  });

  auto* grant = project->add_subcommand("grant", "grant a team access, at once");
  grant->add_option("PROJECT", project_id)->required();
  grant->add_option("--team", team_id)->required();
  grant->add_option("--level", levels, "L, or CATEGORY=L for each category")->required();
  grant->add_flag("--upload", upload);
  grant->add_flag("--download", download);
  grant->add_option("--expires", expires, "the access ends then: an RFC 3339 time or 90s, 30m, 12h, 30d");
  grant->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto team = parse_id("TEAM", team_id);
      if (!team) return team.error();
      auto parsed = parse_levels(levels);
      if (!parsed) return parsed.error();
      auto ends = parse_expiry(expires, now_millis());
      if (!ends) return ends.error();
      return void_result(session.grant_team(*id, *team, roster::ProjectAccess{*parsed, upload, download, *ends}));
    };
  });
}

void add_grant_changes(CLI::App* project, command& run) {
  static std::string project_id, subject, user;
  static std::vector<std::string> levels;
  auto* set_level = project->add_subcommand("set-level", "change the level of a user's or a team's grant");
  set_level->add_option("PROJECT", project_id)->required();
  set_level->add_option("SUBJECT", subject, "user:USER or team:TEAM")->required();
  set_level->add_option("--level", levels, "L, or CATEGORY=L for each category")->required();
  set_level->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto s = parse_subject(subject);
      if (!s) return s.error();
      auto parsed = parse_levels(levels);
      if (!parsed) return parsed.error();
      return void_result(session.set_level(*id, *s, *parsed));
    };
  });
  auto* revoke = project->add_subcommand("revoke", "remove a user's or a team's grant");
  revoke->add_option("PROJECT", project_id)->required();
  revoke->add_option("SUBJECT", subject, "user:USER or team:TEAM")->required();
  revoke->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto s = parse_subject(subject);
      if (!s) return s.error();
      return void_result(session.revoke(*id, *s));
    };
  });
  auto* owner = project->add_subcommand("owner", "hand the project to another user");
  owner->add_option("PROJECT", project_id)->required();
  owner->add_option("USER", user)->required();
  owner->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      return void_result(session.transfer_project(*id, roster::UserRef::parse(user)));
    };
  });
  auto* remove = project->add_subcommand("delete", "delete a project (owner or platform admin)");
  remove->add_option("PROJECT", project_id)->required();
  remove->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      return void_result(session.delete_project(*id));
    };
  });
}

void add_collaborators_and_activity(CLI::App* project, command& run) {
  static std::string project_id;
  static std::uint32_t limit = 50;
  auto* list = project->add_subcommand("collaborators", "grants and open invitations, with their status");
  list->add_option("PROJECT", project_id)->required();
  list->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto entries = session.collaborators(*id);
      if (!entries) return entries.error();
      output out{{{"collaborators", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& c : *entries) {
        nlohmann::json subject =
            c.kind == roster::CollaboratorKind::email ? nlohmann::json(c.name) : nlohmann::json(c.subject);
        nlohmann::json entry{{"subject", subject},
                             {"name", c.name},
                             {"kind", roster::to_string(c.kind)},
                             {"levels", levels_json(c.access.levels)},
                             {"upload", c.access.upload},
                             {"download", c.access.download},
                             {"status", roster::to_string(c.status)}};
        if (c.invitation) entry["invitation"] = c.invitation;
        if (c.access.expires) entry["expires"] = rfc3339(c.access.expires);
        if (c.guest) entry["guest"] = true;
        out.json["collaborators"].push_back(entry);
        rows.push_back({roster::to_string(c.kind), c.subject ? std::to_string(c.subject) : "-",
                        c.guest ? c.name + " (guest)" : c.name, access_text(c.access), roster::to_string(c.status)});
      }
      out.human = table({"KIND", "ID", "NAME", "ACCESS", "STATUS"}, rows);
      return out;
    };
  });
  auto* activity = project->add_subcommand("activity", "what changed, who did it, when; newest first");
  activity->add_option("PROJECT", project_id)->required();
  activity->add_option("--limit", limit, "at most this many events (1 to 1000, default 50)");
  activity->callback([&run] {
    run = [](roster::Client&, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto events = session.activity(*id, limit);
      if (!events) return events.error();
      output out{{{"events", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& e : *events) {
        nlohmann::json actor = e.actor ? nlohmann::json(e.actor) : nlohmann::json(nullptr);
        out.json["events"].push_back({{"time", rfc3339(e.time)}, {"actor", actor}, {"what", e.what}});
        rows.push_back({rfc3339(e.time), e.actor ? std::to_string(e.actor) : "service", e.what});
      }
      out.human = table({"TIME", "ACTOR", "WHAT"}, rows);
      return out;
    };
  });
}

}  // namespace

output projects_output(const std::vector<roster::Project>& projects) {
  output out{{{"projects", nlohmann::json::array()}}, ""};
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : projects) {
    out.json["projects"].push_back(project_summary_json(p));
    rows.push_back({std::to_string(p.id), p.name, roster::to_string(p.kind), std::to_string(p.owner)});
  }
  out.human = table({"ID", "NAME", "KIND", "OWNER"}, rows);
  return out;
}

Result<std::vector<roster::Project>> all_project_pages(
    const std::function<Result<roster::ProjectPage>(const roster::PageQuery&)>& fetch) {
  return all_pages(fetch);
}

void add_project_commands(CLI::App& app, command& run) {
  auto* project = app.add_subcommand("project", "projects and shared resources")->require_subcommand(1);
  add_create(project, run);
  add_list_and_show(project, run);
  add_invite_and_grant(project, run);
  add_grant_changes(project, run);
  add_collaborators_and_activity(project, run);
}

}  // namespace rosterctl
