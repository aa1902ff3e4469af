// `rosterctl tenant create|list|rename|delete` (N1): the service's, with an
// admin token; a tenant is named by id or by name.
#include "commands.hpp"

namespace rosterctl {

using roster::Result;

void add_tenant_commands(CLI::App& app, command& run) {
  auto* tenant = app.add_subcommand("tenant", "organisations sharing the server (admin tokens)")->require_subcommand(1);
  static std::string name, which;

  auto* create = tenant->add_subcommand("create", "add a tenant");
  create->add_option("NAME", name)->required();
  create->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto id = client.create_tenant(name);
      if (!id) return id.error();
      return id_output(*id);
    };
  });

  tenant->add_subcommand("list", "every tenant, with its active users, teams and projects")->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      auto tenants = client.list_tenants();
      if (!tenants) return tenants.error();
      output out{{{"tenants", nlohmann::json::array()}}, ""};
      std::vector<std::vector<std::string>> rows;
      for (const auto& t : *tenants) {
        out.json["tenants"].push_back(
            {{"id", t.id}, {"name", t.name}, {"users", t.users}, {"teams", t.teams}, {"projects", t.projects}});
        rows.push_back({std::to_string(t.id), t.name, std::to_string(t.users), std::to_string(t.teams),
                        std::to_string(t.projects)});
      }
      out.human = table({"ID", "NAME", "USERS", "TEAMS", "PROJECTS"}, rows);
      return out;
    };
  });

  auto* rename = tenant->add_subcommand("rename", "rename a tenant");
  rename->add_option("TENANT", which, "id or name")->required();
  rename->add_option("NAME", name)->required();
  rename->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      return void_result(client.rename_tenant(roster::TenantRef::parse(which), name));
    };
  });

  auto* remove = tenant->add_subcommand("delete", "delete a tenant that holds no active user, team or project");
  remove->add_option("TENANT", which, "id or name")->required();
  remove->callback([&run] {
    run = [](roster::Client& client, roster::Session&) -> Result<output> {
      return void_result(client.delete_tenant(roster::TenantRef::parse(which)));
    };
  });
}

}  // namespace rosterctl
