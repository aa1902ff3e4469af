// P5-P7: changing and revoking grants, handing a project over, deleting it.
// Each change is one transaction written by the project; what it tells other
// actors afterwards (teams to stop pushing members) is cleanup that a crash
// may skip without harm (see README "Behaviour").
#include "actors/invitations/inbox_delivery.hpp"
#include "actors/project/project_state.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

// The user a subject names, if it names a registered user.
std::optional<entity_id> subject_user(const project_state& st, const grant_subject& subject) {
  if (subject.user.is_service()) return std::nullopt;
  return resolve_user(st.rt->storage, subject.user);
}

}  // namespace

// Best effort: a team that keeps a stale entry only sends changes that are
// dropped.
void unsubscribe(caf::event_based_actor* self, const project_state& st, entity_id team) {
  self->request(st.directory, internal_timeout, team_unsubscribe_msg{team, st.info.id})
      .then([]() {}, [](caf::error&) {});
}

project_reply set_level(project_self* self, entity_id acting, const project_set_level_cmd& cmd) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  if (cmd.levels.size() > limits::level_specs_max)
    return make_failure(ErrorCode::invalid_argument, "at most 16 levels");
  std::vector<std::uint8_t> levels;
  if (auto bad = st.schema->resolve(cmd.levels, &levels)) return to_error(*bad);

  const grant* current = nullptr;
  entity_id subject = no_entity;
  if (cmd.subject.is_team) {
    subject = cmd.subject.team;
    auto it = st.grants.teams().find(subject);
    if (it != st.grants.teams().end()) current = &it->second;
  } else if (auto user = subject_user(st, cmd.subject)) {
    subject = *user;
    auto it = st.grants.users().find(subject);
    if (it != st.grants.users().end()) current = &it->second;
  }
  if (!current) return make_failure(ErrorCode::not_found, "no such grant on this project");
  // P5: the right for the old level and for the new one, and for the
  // flags the grant keeps.
  grant changed = *current;
  changed.levels = levels;
  if (auto refused = check_grant_right(st, acting, *current)) return to_error(*refused);
  if (auto refused = check_grant_right(st, acting, changed)) return to_error(*refused);
  if (!cmd.subject.is_team)
    if (auto refused = check_platform_role(st, subject, levels, current->upload)) return to_error(*refused);

  change_effects fx;
  std::string who;
  if (cmd.subject.is_team) {
    st.grants.put_team(subject, changed);
    fx.batch.push_back({keys::project_team_grant(st.info.id, subject), records::encode_grant(true, subject, changed)});
    who = describe_team(subject);
  } else {
    write_user_grant(st, fx, subject, changed);
    who = describe_user(st, subject);
  }
  std::string what = "set the level of " + who + " to";
  for (const auto& l : named_levels(*st.schema, levels)) what += " " + l.category + "=" + l.level;
  log_event(st, fx, acting, std::move(what));
  return persist_then_reply(self, st, std::move(fx), caf::unit);
}

project_reply revoke(project_self* self, entity_id acting, const project_revoke_cmd& cmd) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  if (!may_remove_grants(st, acting))
    return make_failure(ErrorCode::permission_denied, "you may not remove collaborators from this project");
  change_effects fx;
  if (cmd.subject.is_team) {
    auto team = cmd.subject.team;
    if (!st.grants.erase_team(team)) return make_failure(ErrorCode::not_found, "no such grant on this project");
    fx.batch.push_back({keys::project_team_grant(st.info.id, team), std::nullopt});
    log_event(st, fx, acting, "revoked the grant of " + describe_team(team));
    auto reply = persist_then_reply(self, st, std::move(fx), caf::unit);
    st.gate.after_durable([self, team](const failure* error) {
      auto& st = self->state;
      if (!error) unsubscribe(self, st, team);
    });
    return reply;
  }
  auto user = subject_user(st, cmd.subject);
  if (!user || !st.grants.users().count(*user))
    return make_failure(ErrorCode::not_found, "no such grant on this project");
  erase_user_grant(st, fx, *user);
  log_event(st, fx, acting, "revoked the grant of " + describe_user(st, *user));
  return persist_then_reply(self, st, std::move(fx), caf::unit);
}

project_reply transfer_ownership(project_self* self, entity_id acting, const project_owner_cmd& cmd) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  // P6: the owner, a platform admin, or a holder of the top project level.
  auto access = access_of(st, acting);
  auto top = st.schema->top_levels();
  bool holds_top = !access.levels.empty() && access.levels[0] == top[0];
  if (!has_every_right(st, acting) && !holds_top)
    return make_failure(ErrorCode::permission_denied,
                        "only the owner, an admin or a holder of the top level hands a project over");
  auto user = cmd.user.is_service() ? std::nullopt : resolve_user(st.rt->storage, cmd.user);
  auto admitted = st.rt->admit_change_about(user ? *user : no_entity);  // U4
  const auto& fact = admitted.fact;
  // N2: a project passes only to a user of its tenant.
  if (!user || !fact.exists || !of_this_tenant(st, *user)) return make_failure(ErrorCode::not_found, "no such user");
  if (fact.removed) return make_failure(ErrorCode::user_removed, "the user was removed from the platform");
  if (fact.role == platform_role::read_only)
    return make_failure(ErrorCode::exceeds_platform_role, "a read-only user cannot own a project");
  if (*user == st.info.owner) return reply_when_durable(self, st.gate, caf::unit);  // already theirs

  auto old_owner = st.info.owner;
  change_effects fx;
  if (st.grants.users().count(*user)) erase_user_grant(st, fx, *user);  // owning covers it
  st.info.owner = *user;
  st.grants.set_owner(*user);
  write_project(st, fx);
  fx.batch.push_back({keys::user_project(*user, st.info.id), std::string()});
  // The old owner keeps a direct grant at the top level.
  write_user_grant(st, fx, old_owner, grant{top, true, true});
  add_notification(*st.rt, fx, *user, notification_kind::ownership_received, st.info.id, no_entity, acting);
  log_event(st, fx, acting,
            "handed the project from " + describe_user(st, old_owner) + " to " + describe_user(st, *user));
  return persist_then_reply(self, st, std::move(fx), caf::unit);
}

project_reply delete_project(project_self* self, entity_id acting) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  if (!has_every_right(st, acting))
    return make_failure(ErrorCode::permission_denied, "only the owner or an admin deletes a project");
  change_effects fx;
  st.info.deleted = true;
  write_project(st, fx);
  std::vector<entity_id> users;
  for (auto& [user, g] : st.grants.users()) users.push_back(user);
  for (auto user : users) erase_user_grant(st, fx, user);
  fx.batch.push_back({keys::user_project(st.info.owner, st.info.id), std::nullopt});
  std::vector<entity_id> teams;
  for (auto& [team, g] : st.grants.teams()) {
    teams.push_back(team);
    fx.batch.push_back({keys::project_team_grant(st.info.id, team), std::nullopt});
  }
  st.grants.clear();
  st.invitations.cancel_pending(*st.rt, fx, acting);
  log_event(st, fx, acting, "deleted the project");
  auto reply = persist_then_reply(self, st, std::move(fx), caf::unit);
  st.gate.after_durable([self, teams](const failure* error) {
    auto& st = self->state;
    if (error) return;
    for (auto team : teams) unsubscribe(self, st, team);
  });
  return reply;
}

}  // namespace roster::actors
