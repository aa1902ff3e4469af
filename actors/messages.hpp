// The messages the actors exchange, with their CAF type ids. Heavy (CAF):
// include only from actor and bridge sources, never from a widely used header.
//
// The gateway sends a call as (entity_id acting, command) straight to the
// active actor that owns it (direct_route.hpp), or else to the directory as
// (user_ref acting, command); the directory resolves the acting user (0 = the
// service itself, with platform-admin rights), activates the owner and
// forwards (entity_id acting, command) to it. The owner replies to the
// gateway directly.
#pragma once

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <vector>

#include "actors/domain.hpp"

namespace roster::actors {

class commit_ticket;  // commit_gate.hpp

// An acting or checked user: by id, or by username when `name` is set.
// Neither set means the service itself.
struct user_ref {
  entity_id id = no_entity;
  std::string name;
  bool is_service() const { return id == no_entity && name.empty(); }
};

// ---------------------------------------------------------------- commands

struct register_user_cmd {
  std::string username;
  std::string email;
  std::string name;
  platform_role role = platform_role::standard;
};

struct user_show_cmd {
  user_ref user;
};

// U2: an admin changes anyone's platform role.
struct user_role_cmd {
  user_ref user;
  platform_role role = platform_role::standard;
};

// U3: an admin gives or takes the team_manager flag.
struct user_team_manager_cmd {
  user_ref user;
  bool team_manager = false;
};

// U4: an admin removes a user from the platform.
struct user_remove_cmd {
  user_ref user;
};

struct create_team_cmd {
  std::string name;
  std::string icon;
};

struct team_invite_cmd {
  entity_id team = no_entity;
  std::string invitee;  // a username or an e-mail address
  member_flags flags;
  std::string message;
};

struct team_show_cmd {
  entity_id team = no_entity;
};

struct team_leave_cmd {
  entity_id team = no_entity;
};

struct team_list_cmd {};

struct team_list {
  std::vector<team_summary> teams;
};

// T3: rename, change the icon, set the admission mode; unset fields stay.
// (caf::optional: CAF 0.17 inspects it, not std::optional.)
struct team_set_cmd {
  entity_id team = no_entity;
  caf::optional<std::string> name;
  caf::optional<std::string> icon;
  caf::optional<admission> admission_mode;
};

// T3: make a member an admin, or an admin a member again.
struct team_admin_cmd {
  entity_id team = no_entity;
  user_ref user;
  bool admin = true;
};

// T6: add a user at once (direct admission).
struct team_add_cmd {
  entity_id team = no_entity;
  user_ref user;
  member_flags flags;
};

// T3: remove a member.
struct team_remove_cmd {
  entity_id team = no_entity;
  user_ref user;
};

// T8: hand the manager role to a member.
struct team_transfer_cmd {
  entity_id team = no_entity;
  user_ref user;
};

// T9
struct team_delete_cmd {
  entity_id team = no_entity;
};

// T4: flags never change in place; always answers immutable_permissions
// for a member.
struct team_set_flags_cmd {
  entity_id team = no_entity;
  user_ref user;
  member_flags flags;
};

// What is done to an invitation by id; routed to the invitation's owner.
enum class answer_kind : std::uint8_t { accept, reject, cancel, remind };

struct answer_invitation_cmd {
  entity_id invitation = no_entity;
  answer_kind answer = answer_kind::accept;
};

struct inbox_cmd {
  bool filter_by_status = false;
  invitation_status status = invitation_status::pending;
  std::uint32_t limit = 50;
  entity_id after = no_entity;  // cursor: entries older than this id
};

// I9: mark one notification read, or all of them.
struct mark_read_cmd {
  entity_id notification = no_entity;
  bool all = false;
};

struct create_project_cmd {
  std::string name;
  project_kind kind = project_kind::project;
  std::string schema = "simple";
  resolution_policy policy = resolution_policy::highest;
};

struct project_invite_cmd {
  entity_id project = no_entity;
  std::string invitee;
  project_access access;
  std::string message;
};

struct grant_team_cmd {
  entity_id project = no_entity;
  entity_id team = no_entity;
  project_access access;
};

struct check_cmd {
  user_ref user;
  entity_id project = no_entity;
  std::string action;
};

// C2: up to 10,000 checks, one outcome each, in order.
inline constexpr std::size_t max_bulk_checks = 10000;

struct check_bulk_cmd {
  std::vector<check_cmd> checks;
};

// One outcome per check: allowed, denied, or the failure that check met.
struct check_outcome {
  bool allowed = false;
  bool failed = false;
  ErrorCode code = ErrorCode::invalid_argument;
};

struct check_bulk_result {
  std::vector<check_outcome> outcomes;
};

// directory -> project: the checks of a bulk call that concern it.
struct project_checks_msg {
  std::vector<entity_id> users;
  std::vector<std::string> actions;
};

// P2, P5: whom a grant names — a user, or a team.
struct grant_subject {
  bool is_team = false;
  entity_id team = no_entity;
  user_ref user;
};

// P5: a grant's levels change; its flags stay.
struct project_set_level_cmd {
  entity_id project = no_entity;
  grant_subject subject;
  std::vector<level_spec> levels;
};

// P5: a grant is removed.
struct project_revoke_cmd {
  entity_id project = no_entity;
  grant_subject subject;
};

// P6
struct project_owner_cmd {
  entity_id project = no_entity;
  user_ref user;
};

// P7
struct project_delete_cmd {
  entity_id project = no_entity;
};

struct project_show_cmd {
  entity_id project = no_entity;
};

// P2
struct project_collaborators_cmd {
  entity_id project = no_entity;
};

// P8: the newest events first.
inline constexpr std::uint32_t max_activity_page = 1000;
// I9: the most inbox entries a page holds.
inline constexpr std::uint32_t max_inbox_page = 1000;
struct project_activity_cmd {
  entity_id project = no_entity;
  std::uint32_t limit = 50;
};

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

// C4: the users who may do `action` on a project.
struct lookup_users_cmd {
  entity_id project = no_entity;
  std::string action;
  std::uint32_t limit = 100;
  entity_id after = no_entity;
};

// C3
struct explain_cmd {
  user_ref user;
  entity_id project = no_entity;
};

// I8: up to 1,000 invitees to up to 100 targets; one result per pair.
inline constexpr std::size_t max_bulk_invitees = 1000;
inline constexpr std::size_t max_bulk_targets = 100;

struct invite_target {
  target_kind kind = target_kind::team;
  entity_id id = no_entity;
};

struct bulk_invite_cmd {
  std::vector<invite_target> targets;
  std::vector<std::string> invitees;
  member_flags team_flags;  // offered to team targets
  project_access access;    // offered to project targets
  std::string message;
};

// ---------------------------------------------------------------- views

struct bulk_invite_item {
  invite_target target;
  std::string invitee;  // as given
  entity_id invitation = no_entity;
  bool failed = false;
  ErrorCode code = ErrorCode::invalid_argument;
  std::string message;
};

struct bulk_invite_result {
  std::vector<bulk_invite_item> results;
};

struct project_page {
  std::vector<project_info> projects;
  entity_id next = no_entity;  // cursor of the next page; 0 when none
};

struct user_page {
  std::vector<entity_id> users;
  entity_id next = no_entity;
};

enum class collaborator_kind : std::uint8_t { user = 0, team = 1, email = 2 };

// P2: a grant (status accepted) or an invitation still open or rejected.
struct collaborator {
  collaborator_kind kind = collaborator_kind::user;
  entity_id subject = no_entity;  // the user or team; 0 for an e-mail
  std::string name;               // username, team name or e-mail address
  project_access access;
  invitation_status status = invitation_status::accepted;
  entity_id invitation = no_entity;
};

struct collaborator_list {
  std::vector<collaborator> entries;
};

struct activity_list {
  std::vector<activity_event> events;
};

// C3: one grant that may apply to the user, and whether it counted.
struct explained_grant {
  bool team = false;
  entity_id subject = no_entity;
  project_access access;
  bool counted = false;
  std::string note;  // why it did not count, or how it applies
};

struct explanation {
  project_access access;  // the effective levels (named) and flags
  resolution_policy policy = resolution_policy::highest;
  std::string basis;  // owner, platform_admin, grants, removed, none
  std::vector<explained_grant> grants;
  std::vector<std::string> caps;
};

struct team_view {
  team_info info;
  std::vector<team_member> members;
  std::vector<invitation> invitations;
};

struct inbox_view {
  std::uint32_t unread = 0;
  std::vector<invitation> invitations;
  std::vector<notification> notifications;
  entity_id next = no_entity;
};

// ---------------------------------------------------------------- internal

// directory: the user a username or e-mail names -> entity_id
struct find_user_msg {
  std::string text;
};

// directory: activate and return the actor of a team, project or user
struct lookup_actor_msg {
  entity_id id = no_entity;
  char kind = 'U';  // 'U', 'T' or 'P', as in keys.hpp
};

// project -> team (through the directory): the project holds a copy of the
// team's members from now on; answers the current members.
struct team_subscribe_msg {
  entity_id team = no_entity;
  entity_id project = no_entity;
};

struct member_entry {
  entity_id user = no_entity;
  member_flags flags;
};

struct member_set {
  std::vector<member_entry> members;
};

// team -> project holding a copy (through the directory, which delivers it
// only to an active project: an inactive one loads fresh members anyway):
// a member joined (present) or left.
struct member_change_msg {
  entity_id project = no_entity;
  entity_id team = no_entity;
  member_entry member;
  bool present = true;
};

// deleted team -> project (through the directory, activating it): drop the
// team's grant (T9).
struct revoke_team_msg {
  entity_id project = no_entity;
  entity_id team = no_entity;
};

// directory -> project (C4): does `user` see the project, or may they do
// `action` on it when it is set? Answers project_match.
struct project_match_msg {
  entity_id user = no_entity;  // no_entity: the service
  std::string action;
};

struct project_match {
  bool matched = false;
  project_info info;
};

// project -> team (through the directory): the project no longer holds a
// copy of the team's members (grant revoked or project deleted).
struct team_unsubscribe_msg {
  entity_id team = no_entity;
  entity_id project = no_entity;
};

// U4 removal steps (through the directory), each idempotent: the team drops
// the removed user (handing the manager role on), the project drops their
// grant and their pending invitations.
struct member_gone_msg {
  entity_id team = no_entity;
  entity_id user = no_entity;
};
struct user_gone_msg {
  entity_id project = no_entity;
  entity_id user = no_entity;
};
// directory -> the target of an invitation sent to an e-mail address (U5):
// `user` just signed up with that address; the invitation is theirs.
struct bind_invitee_msg {
  entity_id invitation = no_entity;
  entity_id user = no_entity;
  std::string email;
  // True: the invitation reached storage after the registration read the
  // waiting ones, so the target also puts it in the user's inbox and
  // notifies them (invitation_book::hand_over).
  bool hand_over = false;
};

// removal runner -> user actor: check the right and the projects owned,
// then mark the user removed (and the removal pending) in one transaction.
struct mark_removed_msg {
  entity_id user = no_entity;
  entity_id acting = no_entity;
};
// removal runner -> user actor: every step is done.
struct removal_done_msg {
  entity_id user = no_entity;
};

// owner -> user actor: records the owner committed, to mirror. Sent before
// the commit is durable when `committed` is set: the user shows them once it
// reports durable, and never if it failed. Local only: the ticket is not
// serialized.
struct inbox_update_msg {
  std::vector<invitation> invitations;
  std::vector<notification> notifications;
  std::shared_ptr<const commit_ticket> committed;
};

// ---------------------------------------------------------------- inspectors

// The domain's values travel in messages: CAF finds their inspectors by
// argument-dependent lookup, so they live in the domain's namespace.
}  // namespace roster::actors

namespace roster::domain {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_flags& x) {
  return f(caf::meta::type_name("member_flags"), x.view_datasets, x.view_code);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, level_spec& x) {
  return f(caf::meta::type_name("level_spec"), x.category, x.level);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_access& x) {
  return f(caf::meta::type_name("project_access"), x.levels, x.upload, x.download);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invitation& x) {
  return f(caf::meta::type_name("invitation"), x.id, x.kind, x.target, x.inviter, x.invitee, x.invitee_email,
           x.team_flags, x.project, x.message, x.created, x.expires, x.status, x.reminders, x.reminded_at,
           x.target_name, x.inviter_name, x.invitee_name);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notification& x) {
  return f(caf::meta::type_name("notification"), x.id, x.kind, x.read, x.time, x.invitation, x.subject, x.actor);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_info& x) {
  return f(caf::meta::type_name("team_info"), x.id, x.name, x.icon, x.admission_mode, x.created);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_member& x) {
  return f(caf::meta::type_name("team_member"), x.user, x.username, x.role, x.flags);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_info& x) {
  return f(caf::meta::type_name("project_info"), x.id, x.name, x.kind, x.owner, x.schema, x.policy, x.created,
           x.deleted);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, activity_event& x) {
  return f(caf::meta::type_name("activity_event"), x.time, x.actor, x.what);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_profile& x) {
  return f(caf::meta::type_name("user_profile"), x.id, x.username, x.email, x.name, x.role, x.team_manager, x.removed,
           x.created);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_summary& x) {
  return f(caf::meta::type_name("team_summary"), x.id, x.name, x.icon, x.members);
}

}  // namespace roster::domain

namespace roster::actors {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_ref& x) {
  return f(caf::meta::type_name("user_ref"), x.id, x.name);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_remove_cmd& x) {
  return f(caf::meta::type_name("user_remove_cmd"), x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_gone_msg& x) {
  return f(caf::meta::type_name("member_gone_msg"), x.team, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_gone_msg& x) {
  return f(caf::meta::type_name("user_gone_msg"), x.project, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invite_target& x) {
  return f(caf::meta::type_name("invite_target"), x.kind, x.id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_cmd& x) {
  return f(caf::meta::type_name("bulk_invite_cmd"), x.targets, x.invitees, x.team_flags, x.access, x.message);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_item& x) {
  return f(caf::meta::type_name("bulk_invite_item"), x.target, x.invitee, x.invitation, x.failed, x.code, x.message);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bulk_invite_result& x) {
  return f(caf::meta::type_name("bulk_invite_result"), x.results);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bind_invitee_msg& x) {
  return f(caf::meta::type_name("bind_invitee_msg"), x.invitation, x.user, x.email, x.hand_over);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mark_removed_msg& x) {
  return f(caf::meta::type_name("mark_removed_msg"), x.user, x.acting);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, removal_done_msg& x) {
  return f(caf::meta::type_name("removal_done_msg"), x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grant_subject& x) {
  return f(caf::meta::type_name("grant_subject"), x.is_team, x.team, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_set_level_cmd& x) {
  return f(caf::meta::type_name("project_set_level_cmd"), x.project, x.subject, x.levels);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_revoke_cmd& x) {
  return f(caf::meta::type_name("project_revoke_cmd"), x.project, x.subject);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_owner_cmd& x) {
  return f(caf::meta::type_name("project_owner_cmd"), x.project, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_delete_cmd& x) {
  return f(caf::meta::type_name("project_delete_cmd"), x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_show_cmd& x) {
  return f(caf::meta::type_name("project_show_cmd"), x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_collaborators_cmd& x) {
  return f(caf::meta::type_name("project_collaborators_cmd"), x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_activity_cmd& x) {
  return f(caf::meta::type_name("project_activity_cmd"), x.project, x.limit);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_projects_cmd& x) {
  return f(caf::meta::type_name("lookup_projects_cmd"), x.user, x.action, x.limit, x.after);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_users_cmd& x) {
  return f(caf::meta::type_name("lookup_users_cmd"), x.project, x.action, x.limit, x.after);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explain_cmd& x) {
  return f(caf::meta::type_name("explain_cmd"), x.user, x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_page& x) {
  return f(caf::meta::type_name("project_page"), x.projects, x.next);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_page& x) {
  return f(caf::meta::type_name("user_page"), x.users, x.next);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, collaborator& x) {
  return f(caf::meta::type_name("collaborator"), x.kind, x.subject, x.name, x.access, x.status, x.invitation);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, collaborator_list& x) {
  return f(caf::meta::type_name("collaborator_list"), x.entries);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, activity_list& x) {
  return f(caf::meta::type_name("activity_list"), x.events);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explained_grant& x) {
  return f(caf::meta::type_name("explained_grant"), x.team, x.subject, x.access, x.counted, x.note);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, explanation& x) {
  return f(caf::meta::type_name("explanation"), x.access, x.policy, x.basis, x.grants, x.caps);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_match_msg& x) {
  return f(caf::meta::type_name("project_match_msg"), x.user, x.action);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_match& x) {
  return f(caf::meta::type_name("project_match"), x.matched, x.info);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_unsubscribe_msg& x) {
  return f(caf::meta::type_name("team_unsubscribe_msg"), x.team, x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_bulk_cmd& x) {
  return f(caf::meta::type_name("check_bulk_cmd"), x.checks);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_outcome& x) {
  return f(caf::meta::type_name("check_outcome"), x.allowed, x.failed, x.code);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_bulk_result& x) {
  return f(caf::meta::type_name("check_bulk_result"), x.outcomes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_checks_msg& x) {
  return f(caf::meta::type_name("project_checks_msg"), x.users, x.actions);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_show_cmd& x) {
  return f(caf::meta::type_name("user_show_cmd"), x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_role_cmd& x) {
  return f(caf::meta::type_name("user_role_cmd"), x.user, x.role);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_team_manager_cmd& x) {
  return f(caf::meta::type_name("user_team_manager_cmd"), x.user, x.team_manager);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mark_read_cmd& x) {
  return f(caf::meta::type_name("mark_read_cmd"), x.notification, x.all);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_list_cmd&) {
  return f(caf::meta::type_name("team_list_cmd"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_list& x) {
  return f(caf::meta::type_name("team_list"), x.teams);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_set_cmd& x) {
  return f(caf::meta::type_name("team_set_cmd"), x.team, x.name, x.icon, x.admission_mode);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_admin_cmd& x) {
  return f(caf::meta::type_name("team_admin_cmd"), x.team, x.user, x.admin);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_add_cmd& x) {
  return f(caf::meta::type_name("team_add_cmd"), x.team, x.user, x.flags);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_remove_cmd& x) {
  return f(caf::meta::type_name("team_remove_cmd"), x.team, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_transfer_cmd& x) {
  return f(caf::meta::type_name("team_transfer_cmd"), x.team, x.user);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_delete_cmd& x) {
  return f(caf::meta::type_name("team_delete_cmd"), x.team);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_set_flags_cmd& x) {
  return f(caf::meta::type_name("team_set_flags_cmd"), x.team, x.user, x.flags);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, revoke_team_msg& x) {
  return f(caf::meta::type_name("revoke_team_msg"), x.project, x.team);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, register_user_cmd& x) {
  return f(caf::meta::type_name("register_user_cmd"), x.username, x.email, x.name, x.role);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_team_cmd& x) {
  return f(caf::meta::type_name("create_team_cmd"), x.name, x.icon);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_invite_cmd& x) {
  return f(caf::meta::type_name("team_invite_cmd"), x.team, x.invitee, x.flags, x.message);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_show_cmd& x) {
  return f(caf::meta::type_name("team_show_cmd"), x.team);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_leave_cmd& x) {
  return f(caf::meta::type_name("team_leave_cmd"), x.team);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, answer_invitation_cmd& x) {
  return f(caf::meta::type_name("answer_invitation_cmd"), x.invitation, x.answer);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_cmd& x) {
  return f(caf::meta::type_name("inbox_cmd"), x.filter_by_status, x.status, x.limit, x.after);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_project_cmd& x) {
  return f(caf::meta::type_name("create_project_cmd"), x.name, x.kind, x.schema, x.policy);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_invite_cmd& x) {
  return f(caf::meta::type_name("project_invite_cmd"), x.project, x.invitee, x.access, x.message);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, grant_team_cmd& x) {
  return f(caf::meta::type_name("grant_team_cmd"), x.project, x.team, x.access);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, check_cmd& x) {
  return f(caf::meta::type_name("check_cmd"), x.user, x.project, x.action);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_view& x) {
  return f(caf::meta::type_name("team_view"), x.info, x.members, x.invitations);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_view& x) {
  return f(caf::meta::type_name("inbox_view"), x.unread, x.invitations, x.notifications, x.next);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, find_user_msg& x) {
  return f(caf::meta::type_name("find_user_msg"), x.text);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lookup_actor_msg& x) {
  return f(caf::meta::type_name("lookup_actor_msg"), x.id, x.kind);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_subscribe_msg& x) {
  return f(caf::meta::type_name("team_subscribe_msg"), x.team, x.project);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_entry& x) {
  return f(caf::meta::type_name("member_entry"), x.user, x.flags);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_set& x) {
  return f(caf::meta::type_name("member_set"), x.members);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_change_msg& x) {
  return f(caf::meta::type_name("member_change_msg"), x.project, x.team, x.member, x.present);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_update_msg& x) {
  return f(caf::meta::type_name("inbox_update_msg"), x.invitations, x.notifications);
}

// Domain failures travel as caf::error in the "roster" category. CAF reads
// code 0 as "no error", so codes travel shifted by one.
inline caf::error to_error(const failure& f) {
  return caf::error{static_cast<std::uint8_t>(static_cast<unsigned>(f.code) + 1), caf::atom("roster"),
                    caf::make_message(f.message)};
}
inline caf::error make_failure(ErrorCode code, std::string message) {
  return to_error(failure{code, std::move(message)});
}
// Any other error (a timeout, a dead actor) reads as `unavailable`.
failure to_failure(const caf::error& e);

}  // namespace roster::actors

CAF_BEGIN_TYPE_ID_BLOCK(roster, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(roster, (roster::actors::user_ref))
CAF_ADD_TYPE_ID(roster, (roster::actors::register_user_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::create_team_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_leave_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::answer_invitation_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::create_project_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::grant_team_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_view))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_view))
CAF_ADD_TYPE_ID(roster, (roster::actors::find_user_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_actor_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_subscribe_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_set))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_change_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_update_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_list_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_set_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_admin_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_add_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_remove_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_transfer_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_delete_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_set_flags_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::revoke_team_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::mark_read_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_bulk_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_bulk_result))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_checks_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_set_level_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_revoke_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_owner_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_delete_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_collaborators_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_activity_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_projects_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_users_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::explain_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_page))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_page))
CAF_ADD_TYPE_ID(roster, (roster::actors::collaborator_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::activity_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::explanation))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_match_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_match))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_unsubscribe_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_info))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_remove_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_gone_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_gone_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::removal_done_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::mark_removed_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::bind_invitee_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::bulk_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::bulk_invite_result))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_profile))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_role_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_team_manager_cmd))
CAF_END_TYPE_ID_BLOCK(roster)

CAF_ADD_ATOM(roster, roster::actors, committed_atom, "committed")
CAF_ADD_ATOM(roster, roster::actors, commit_failed_atom, "cfailed")
// An actor's own timer for the deadlines of its requests (reply_deadlines.hpp).
CAF_ADD_ATOM(roster, roster::actors, expire_waits_atom, "expwaits")
// Passivation (passivation.hpp): the directory's sweep timer, its note to
// itself to ask the next slice of a sweep's idle actors, and its request to
// an idle actor ("stop now if you can").
CAF_ADD_ATOM(roster, roster::actors, sweep_atom, "sweep")
CAF_ADD_ATOM(roster, roster::actors, ask_idle_atom, "askidle")
CAF_ADD_ATOM(roster, roster::actors, passivate_atom, "passivate")
// The directory's note to itself to publish an actor it activated, once the
// message that activated it is in its mailbox (actor_registry.hpp).
CAF_ADD_ATOM(roster, roster::actors, publish_atom, "publish")
// An actor's question whether it is idle (tests use it as a plain request).
CAF_ADD_ATOM(roster, roster::actors, quiescent_atom, "quiescent")
