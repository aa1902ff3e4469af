// rosterctl check, explain, lookup: the questions backends ask (C1, C3, C4).
#include "arguments.hpp"
#include "commands.hpp"

namespace rosterctl {
namespace {

using roster::Result;

output explanation_output(const roster::Explanation& e) {
  output out;
  out.json = {{"levels", levels_json(e.access.levels)},
              {"upload", e.access.upload},
              {"download", e.access.download},
              {"policy", roster::to_string(e.policy)},
              {"basis", e.basis},
              {"grants", nlohmann::json::array()},
              {"caps", e.caps}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : e.grants) {
    out.json["grants"].push_back({{"kind", g.team ? "team" : "user"},
                                  {"subject", g.subject},
                                  {"levels", levels_json(g.access.levels)},
                                  {"upload", g.access.upload},
                                  {"download", g.access.download},
                                  {"counted", g.counted},
                                  {"note", g.note}});
    if (g.access.expires) out.json["grants"].back()["expires"] = rfc3339(g.access.expires);
    rows.push_back(
        {g.team ? "team" : "user", std::to_string(g.subject), access_text(g.access), g.counted ? "yes" : "no", g.note});
  }
  out.human =
      "access: " + access_text(e.access) + "\npolicy: " + roster::to_string(e.policy) + "\nbasis:  " + e.basis + "\n";
  for (const auto& cap : e.caps) out.human += "cap:    " + cap + "\n";
  if (!rows.empty()) out.human += "\n" + table({"KIND", "ID", "ACCESS", "COUNTED", "WHY"}, rows);
  return out;
}

}  // namespace

void add_query_commands(CLI::App& app, command& run) {
  static std::string user, project_id, action;
  auto* check = app.add_subcommand("check", "may USER do ACTION on PROJECT?");
  check->add_option("USER", user)->required();
  check->add_option("PROJECT", project_id)->required();
  check->add_option("ACTION", action)->required();
  check->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto allowed = client.check(roster::UserRef::parse(user), *id, action);
      if (!allowed) return allowed.error();
      return output{{{"allowed", *allowed}}, std::string(*allowed ? "allowed" : "denied") + "\n"};
    };
  });

  auto* explain = app.add_subcommand("explain", "why USER has the access they have on PROJECT");
  explain->add_option("USER", user)->required();
  explain->add_option("PROJECT", project_id)->required();
  explain->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      auto e = client.explain(roster::UserRef::parse(user), *id);
      if (!e) return e.error();
      return explanation_output(*e);
    };
  });

  auto* lookup = app.add_subcommand("lookup", "projects by user, users by project")->require_subcommand(1);
  auto* projects = lookup->add_subcommand("projects", "the projects USER sees, or may do --action on");
  projects->add_option("USER", user)->required();
  projects->add_option("--action", action);
  projects->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto ref = roster::UserRef::parse(user);
      auto all = all_project_pages([&](const roster::PageQuery& q) { return client.lookup_projects(ref, action, q); });
      if (!all) return all.error();
      return projects_output(*all);
    };
  });
  auto* users = lookup->add_subcommand("users", "the users who may do ACTION on PROJECT");
  users->add_option("PROJECT", project_id)->required();
  users->add_option("ACTION", action)->required();
  users->callback([&run] {
    run = [](roster::Client& client, roster::Session& session) -> Result<output> {
      auto id = parse_id("PROJECT", project_id);
      if (!id) return id.error();
      output out{{{"users", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      roster::PageQuery query{1000, 0};
      do {
        auto page = client.lookup_users(*id, action, query);
        if (!page) return page.error();
        for (auto u : page->users) {
          out.json["users"].push_back(u);
          // People read names: one more call a user, for the table only.
          auto user = session.show_user(roster::UserRef(u));
          rows.push_back({std::to_string(u), user ? user->username : "?", user ? user->name : ""});
        }
        query.after = page->next;
      } while (query.after != 0);
      out.human = table({"USER", "USERNAME", "NAME"}, rows);
      return out;
    };
  });
}

}  // namespace rosterctl
