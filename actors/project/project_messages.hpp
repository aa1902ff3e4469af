// Messages a project actor handles (P1-P8, C1-C4), and what it answers.
//
// Each message's inspector follows it. Include actors/messages.hpp, which
// gives every message its CAF type id, rather than this file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/support/message_basics.hpp"
#include "actors/team/team_messages.hpp"

namespace roster::actors {

struct create_project_cmd {
  std::string name;
  project_kind kind = project_kind::project;
  std::string schema = "simple";
  resolution_policy policy = resolution_policy::highest;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_project_cmd& x) {
  return f(caf::meta::type_name("create_project_cmd"), x.name, x.kind, x.schema, x.policy);
}

struct project_invite_cmd {
  entity_id project = no_entity;
  std::string invitee;
  project_access access;
  std::string message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_invite_cmd& x) {
  return f(caf::meta::type_name("project_invite_cmd"), x.project, x.invitee, x.access, x.message);
}

struct grant_team_cmd {
  entity_id project = no_entity;
  entity_id team = no_entity;
  project_access access;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grant_team_cmd& x) {
  return f(caf::meta::type_name("grant_team_cmd"), x.project, x.team, x.access);
}

struct check_cmd {
  user_ref user;
  entity_id project = no_entity;
  std::string action;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_cmd& x) {
  return f(caf::meta::type_name("check_cmd"), x.user, x.project, x.action);
}

// directory -> project: the checks of a bulk call that concern it.
struct project_checks_msg {
  std::vector<entity_id> users;
  std::vector<std::string> actions;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_checks_msg& x) {
  return f(caf::meta::type_name("project_checks_msg"), x.users, x.actions);
}

// P2, P5: whom a grant names — a user, or a team.
struct grant_subject {
  bool is_team = false;
  entity_id team = no_entity;
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grant_subject& x) {
  return f(caf::meta::type_name("grant_subject"), x.is_team, x.team, x.user);
}

// P5: a grant's levels change; its flags stay.
struct project_set_level_cmd {
  entity_id project = no_entity;
  grant_subject subject;
  std::vector<level_spec> levels;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_set_level_cmd& x) {
  return f(caf::meta::type_name("project_set_level_cmd"), x.project, x.subject, x.levels);
}

// P5: a grant is removed.
struct project_revoke_cmd {
  entity_id project = no_entity;
  grant_subject subject;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_revoke_cmd& x) {
  return f(caf::meta::type_name("project_revoke_cmd"), x.project, x.subject);
}

// P6
struct project_owner_cmd {
  entity_id project = no_entity;
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_owner_cmd& x) {
  return f(caf::meta::type_name("project_owner_cmd"), x.project, x.user);
}

// P7
struct project_delete_cmd {
  entity_id project = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_delete_cmd& x) {
  return f(caf::meta::type_name("project_delete_cmd"), x.project);
}

struct project_show_cmd {
  entity_id project = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_show_cmd& x) {
  return f(caf::meta::type_name("project_show_cmd"), x.project);
}

// P2
struct project_collaborators_cmd {
  entity_id project = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_collaborators_cmd& x) {
  return f(caf::meta::type_name("project_collaborators_cmd"), x.project);
}

// P8: the newest events first.
inline constexpr std::uint32_t max_activity_page = 1000;
struct project_activity_cmd {
  entity_id project = no_entity;
  std::uint32_t limit = 50;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_activity_cmd& x) {
  return f(caf::meta::type_name("project_activity_cmd"), x.project, x.limit);
}

// C4: the users who may do `action` on a project.
struct lookup_users_cmd {
  entity_id project = no_entity;
  std::string action;
  std::uint32_t limit = 100;
  entity_id after = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_users_cmd& x) {
  return f(caf::meta::type_name("lookup_users_cmd"), x.project, x.action, x.limit, x.after);
}

// C3
struct explain_cmd {
  user_ref user;
  entity_id project = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explain_cmd& x) {
  return f(caf::meta::type_name("explain_cmd"), x.user, x.project);
}

struct user_page {
  std::vector<entity_id> users;
  entity_id next = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_page& x) {
  return f(caf::meta::type_name("user_page"), x.users, x.next);
}

enum class collaborator_kind : std::uint8_t { user = 0, team = 1, email = 2 };

// P2: a grant (status accepted) or an invitation still open or rejected.
struct collaborator {
  collaborator_kind kind = collaborator_kind::user;
  entity_id subject = no_entity;  // the user or team; 0 for an e-mail
  std::string name;               // username, team name or e-mail address
  project_access access;
  invitation_status status = invitation_status::accepted;
  entity_id invitation = no_entity;
  bool guest = false;  // N3: a user of another tenant
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, collaborator& x) {
  return f(caf::meta::type_name("collaborator"), x.kind, x.subject, x.name, x.access, x.status, x.invitation, x.guest);
}

struct collaborator_list {
  std::vector<collaborator> entries;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, collaborator_list& x) {
  return f(caf::meta::type_name("collaborator_list"), x.entries);
}

struct activity_list {
  std::vector<activity_event> events;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, activity_list& x) {
  return f(caf::meta::type_name("activity_list"), x.events);
}

// C3: one grant that may apply to the user, and whether it counted.
struct explained_grant {
  bool team = false;
  entity_id subject = no_entity;
  project_access access;
  bool counted = false;
  std::string note;  // why it did not count, or how it applies
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explained_grant& x) {
  return f(caf::meta::type_name("explained_grant"), x.team, x.subject, x.access, x.counted, x.note);
}

struct explanation {
  project_access access;  // the effective levels (named) and flags
  resolution_policy policy = resolution_policy::highest;
  std::string basis;  // owner, platform_admin, grants, removed, none
  std::vector<explained_grant> grants;
  std::vector<std::string> caps;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explanation& x) {
  return f(caf::meta::type_name("explanation"), x.access, x.policy, x.basis, x.grants, x.caps);
}

// team -> project holding a copy (through the directory, which delivers it
// only to an active project: an inactive one loads fresh members anyway):
// a member joined (present) or left. Sent before the team's commit is
// durable when `committed` is set: the project applies it once the ticket
// says durable, and never if the commit failed. Local only: the ticket is
// not serialized.
struct member_change_msg {
  entity_id project = no_entity;
  entity_id team = no_entity;
  member_entry member;
  bool present = true;
  std::shared_ptr<const commit_ticket> committed;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_change_msg& x) {
  return f(caf::meta::type_name("member_change_msg"), x.project, x.team, x.member, x.present);
}

// deleted team -> project (through the directory, activating it): drop the
// team's grant (T9).
struct revoke_team_msg {
  entity_id project = no_entity;
  entity_id team = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revoke_team_msg& x) {
  return f(caf::meta::type_name("revoke_team_msg"), x.project, x.team);
}

// directory -> project (C4): does `user` see the project, or may they do
// `action` on it when it is set? Answers project_match.
struct project_match_msg {
  entity_id user = no_entity;  // no_entity: the service
  std::string action;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_match_msg& x) {
  return f(caf::meta::type_name("project_match_msg"), x.user, x.action);
}

struct project_match {
  bool matched = false;
  project_info info;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_match& x) {
  return f(caf::meta::type_name("project_match"), x.matched, x.info);
}

struct user_gone_msg {
  entity_id project = no_entity;
  entity_id user = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_gone_msg& x) {
  return f(caf::meta::type_name("user_gone_msg"), x.project, x.user);
}

}  // namespace roster::actors
