// What every rosterctl command shares: the shape of a command once its
// arguments are parsed, and the small helpers that build its output.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "output.hpp"
#include "roster/client.hpp"

namespace rosterctl {

// What the chosen command does once connected.
using command = std::function<roster::Result<output>(roster::Client&, roster::Session&)>;

inline output id_output(roster::Id id) { return {{{"id", id}}, std::to_string(id) + "\n"}; }

inline roster::Result<output> void_result(const roster::Result<void>& r) {
  if (!r.ok()) return r.error();
  return ok_output();
}

// {"projects": [{"id", "name", "kind", "owner"}]} and its table.
output projects_output(const std::vector<roster::Project>& projects);
// Every page of a project listing, so nothing is silently left out.
roster::Result<std::vector<roster::Project>> all_project_pages(
    const std::function<roster::Result<roster::ProjectPage>(const roster::PageQuery&)>& fetch);

// invite accept|reject|cancel|remind|bulk
void add_invite_commands(CLI::App& app, command& run);
// project create|list|show|invite|grant|set-level|revoke|owner|delete|
// collaborators|activity
void add_project_commands(CLI::App& app, command& run);
// check, explain, lookup projects|users
void add_query_commands(CLI::App& app, command& run);
// tenant create|list|rename|delete (N1; admin tokens)
void add_tenant_commands(CLI::App& app, command& run);
// watch [--from REV]; prints as changes come, with --json when `json` is.
void add_watch_command(CLI::App& app, command& run, const bool& json);

}  // namespace rosterctl
