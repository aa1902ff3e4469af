// Messages the directory handles itself: creations, user administration,
// and the calls that span many entities (team lists, bulk checks and
// invitations, project lookups).
//
// Each message's inspector follows it. Include actors/messages.hpp, which
// gives every message its CAF type id, rather than this file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/project/project_messages.hpp"
#include "actors/support/message_basics.hpp"

namespace roster::actors {

// N1: a tenant by id, or by name when `name` is not empty; the default
// value names `default`.
struct tenant_ref {
  entity_id id = default_tenant;
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_ref& x) {
  return f(caf::meta::type_name("tenant_ref"), x.id, x.name);
}

struct register_user_cmd {
  std::string username;
  std::string email;
  std::string name;
  platform_role role = platform_role::standard;
  tenant_ref tenant = {};  // N1
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, register_user_cmd& x) {
  return f(caf::meta::type_name("register_user_cmd"), x.username, x.email, x.name, x.role, x.tenant);
}

// N1: tenants, for the service with an admin token.
struct tenant_create_cmd {
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_create_cmd& x) {
  return f(caf::meta::type_name("tenant_create_cmd"), x.name);
}

struct tenant_rename_cmd {
  tenant_ref tenant;
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_rename_cmd& x) {
  return f(caf::meta::type_name("tenant_rename_cmd"), x.tenant, x.name);
}

struct tenant_delete_cmd {
  tenant_ref tenant;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_delete_cmd& x) {
  return f(caf::meta::type_name("tenant_delete_cmd"), x.tenant);
}

struct tenant_list_cmd {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_list_cmd&) {
  return f(caf::meta::type_name("tenant_list_cmd"));
}

// A tenant and what it holds: its active users, teams and projects.
struct tenant_summary {
  tenant_info info;
  std::uint32_t users = 0;
  std::uint32_t teams = 0;
  std::uint32_t projects = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_summary& x) {
  return f(caf::meta::type_name("tenant_summary"), x.info, x.users, x.teams, x.projects);
}

struct tenant_list {
  std::vector<tenant_summary> tenants;  // in id order, `default` first
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_list& x) {
  return f(caf::meta::type_name("tenant_list"), x.tenants);
}

// U4: an admin removes a user from the platform.
struct user_remove_cmd {
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_remove_cmd& x) {
  return f(caf::meta::type_name("user_remove_cmd"), x.user);
}

struct team_list_cmd {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_list_cmd&) {
  return f(caf::meta::type_name("team_list_cmd"));
}

struct team_list {
  std::vector<team_summary> teams;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_list& x) {
  return f(caf::meta::type_name("team_list"), x.teams);
}

// C2: up to 10,000 checks, one outcome each, in order.
inline constexpr std::size_t max_bulk_checks = 10000;

struct check_bulk_cmd {
  std::vector<check_cmd> checks;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_bulk_cmd& x) {
  return f(caf::meta::type_name("check_bulk_cmd"), x.checks);
}

// One outcome per check: allowed, denied, or the failure that check met.
struct check_outcome {
  bool allowed = false;
  bool failed = false;
  ErrorCode code = ErrorCode::invalid_argument;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_outcome& x) {
  return f(caf::meta::type_name("check_outcome"), x.allowed, x.failed, x.code);
}

struct check_bulk_result {
  std::vector<check_outcome> outcomes;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_bulk_result& x) {
  return f(caf::meta::type_name("check_bulk_result"), x.outcomes);
}

// C4 paging: at most this many entries a page.
inline constexpr std::uint32_t max_lookup_page = 1000;

// P1: the projects the acting user sees; C4: the projects `user` sees, or on
// which they may do `action` when it is set.
struct lookup_projects_cmd {
  user_ref user;
  std::string action;
  std::uint32_t limit = 100;
  entity_id after = no_entity;  // cursor: projects with larger ids
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_projects_cmd& x) {
  return f(caf::meta::type_name("lookup_projects_cmd"), x.user, x.action, x.limit, x.after);
}

// I8: up to 1,000 invitees to up to 100 targets; one result per pair.
inline constexpr std::size_t max_bulk_invitees = 1000;
inline constexpr std::size_t max_bulk_targets = 100;

struct invite_target {
  target_kind kind = target_kind::team;
  entity_id id = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invite_target& x) {
  return f(caf::meta::type_name("invite_target"), x.kind, x.id);
}

struct bulk_invite_cmd {
  std::vector<invite_target> targets;
  std::vector<std::string> invitees;
  member_flags team_flags;  // offered to team targets
  project_access access;    // offered to project targets
  std::string message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_cmd& x) {
  return f(caf::meta::type_name("bulk_invite_cmd"), x.targets, x.invitees, x.team_flags, x.access, x.message);
}

struct bulk_invite_item {
  invite_target target;
  std::string invitee;  // as given
  entity_id invitation = no_entity;
  bool failed = false;
  ErrorCode code = ErrorCode::invalid_argument;
  std::string message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_item& x) {
  return f(caf::meta::type_name("bulk_invite_item"), x.target, x.invitee, x.invitation, x.failed, x.code, x.message);
}

struct bulk_invite_result {
  std::vector<bulk_invite_item> results;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_result& x) {
  return f(caf::meta::type_name("bulk_invite_result"), x.results);
}

struct project_page {
  std::vector<project_info> projects;
  entity_id next = no_entity;  // cursor of the next page; 0 when none
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_page& x) {
  return f(caf::meta::type_name("project_page"), x.projects, x.next);
}

// directory: the user a username or e-mail names -> entity_id
struct find_user_msg {
  std::string text;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, find_user_msg& x) {
  return f(caf::meta::type_name("find_user_msg"), x.text);
}

// directory: activate and return the actor of a team, project or user
struct lookup_actor_msg {
  entity_id id = no_entity;
  char kind = 'U';  // 'U', 'T' or 'P', as in keys.hpp
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_actor_msg& x) {
  return f(caf::meta::type_name("lookup_actor_msg"), x.id, x.kind);
}

}  // namespace roster::actors
