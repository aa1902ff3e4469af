// P9: grants that end at an instant. A check is exact at every instant by
// itself (domain/access.hpp: from the first end on, it merges what is still
// in force); what happens here is the rest of the rule, at that instant: the
// grant is erased, its holder told, the activity log written. One timer per
// project, for the first grant that ends.
#include "actors/project/project_state.hpp"
#include "actors/support/storage_port.hpp"

namespace roster::actors {
namespace {

// The first instant a grant of the project ends; 0 when none does.
millis first_end(const project_state& st) {
  millis first = 0;
  for (const auto& entry : st.grants.users()) first = earlier_expiry(first, entry.second.expires);
  for (const auto& entry : st.grants.teams()) first = earlier_expiry(first, entry.second.expires);
  return first;
}

}  // namespace

void schedule_expiry(project_self* self) { schedule_expiry_at(self, first_end(self->state)); }

void schedule_expiry_at(project_self* self, millis expires) {
  self->state.expiry.schedule(self, expires, self->state.rt->time.now());
}

void end_expired_access(project_self* self) {
  auto& st = self->state;
  st.expiry.fired();
  if (st.info.deleted) return;
  auto now = st.rt->time.now();
  std::vector<entity_id> users, teams;
  for (const auto& [user, g] : st.grants.users())
    if (!in_force(g.expires, now)) users.push_back(user);
  for (const auto& [team, g] : st.grants.teams())
    if (!in_force(g.expires, now)) teams.push_back(team);
  change_effects fx;
  for (auto user : users) {
    auto who = describe_user(st, user);
    erase_user_grant(st, fx, user);
    add_notification(*st.rt, fx, user, notification_kind::access_ended, st.info.id, no_entity, no_entity);
    log_event(st, fx, no_entity, "the grant of " + who + " ended: it expired");
  }
  for (auto team : teams) {
    st.grants.erase_team(team);
    fx.batch.push_back({keys::project_team_grant(st.info.id, team), std::nullopt});
    log_event(st, fx, no_entity, "the grant of " + describe_team(team) + " ended: it expired");
  }
  if (!fx.batch.empty()) {
    st.gate.persist(self, std::move(fx.batch), fx.high_id);
    st.gate.after_durable([self, teams, deliveries = std::move(fx.deliveries)](const failure* error) mutable {
      auto& st = self->state;
      if (error) return;
      deliver_to_inboxes(*st.rt, st.directory, std::move(deliveries));
      for (auto team : teams) unsubscribe(self, st, team);
    });
  }
  // A timer that fired early (another clock's time, in tests) is set again.
  schedule_expiry(self);
}

}  // namespace roster::actors
