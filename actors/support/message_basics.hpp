// What every actor message builds on: the acting user, the inspectors of the
// domain's values that travel in messages, and domain failures as CAF
// errors. Heavy (CAF): include actors/messages.hpp, not this file.
#pragma once

#include <caf/all.hpp>

#include <string>

#include "actors/support/domain.hpp"

namespace roster::actors {

class commit_ticket;  // commit_gate.hpp

// An acting or checked user: by id, or by username when `name` is set.
// Neither set means the service itself.
struct user_ref {
  entity_id id = no_entity;
  std::string name;
  bool is_service() const { return id == no_entity && name.empty(); }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_ref& x) {
  return f(caf::meta::type_name("user_ref"), x.id, x.name);
}

}  // namespace roster::actors

// The domain's values travel in messages: CAF finds their inspectors by
// argument-dependent lookup, so they live in the domain's namespace.
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
  return f(caf::meta::type_name("project_access"), x.levels, x.upload, x.download, x.expires);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invitation& x) {
  return f(caf::meta::type_name("invitation"), x.id, x.kind, x.target, x.inviter, x.invitee, x.invitee_email,
           x.team_flags, x.project, x.message, x.created, x.expires, x.status, x.reminders, x.reminded_at,
           x.target_name, x.inviter_name, x.invitee_name, x.membership_expires);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, notification& x) {
  return f(caf::meta::type_name("notification"), x.id, x.kind, x.read, x.time, x.invitation, x.subject, x.actor);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_info& x) {
  return f(caf::meta::type_name("team_info"), x.id, x.name, x.icon, x.admission_mode, x.created, x.deleted, x.tenant);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_member& x) {
  return f(caf::meta::type_name("team_member"), x.user, x.username, x.role, x.flags, x.expires);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_info& x) {
  return f(caf::meta::type_name("project_info"), x.id, x.name, x.kind, x.owner, x.schema, x.policy, x.created,
           x.deleted, x.tenant);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, activity_event& x) {
  return f(caf::meta::type_name("activity_event"), x.time, x.actor, x.what);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_profile& x) {
  return f(caf::meta::type_name("user_profile"), x.id, x.username, x.email, x.name, x.role, x.team_manager, x.removed,
           x.created, x.tenant, x.tenant_admin);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_info& x) {
  return f(caf::meta::type_name("tenant_info"), x.id, x.name, x.created, x.deleted);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_summary& x) {
  return f(caf::meta::type_name("team_summary"), x.id, x.name, x.icon, x.members, x.tenant);
}

}  // namespace roster::domain

namespace roster::actors {

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
