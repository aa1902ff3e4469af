// The state of one project actor and the rules its handlers share (SPEC P1-P8).
// Private to the project actor's sources (project_*.cpp): it includes CAF.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/invitations/invitation_book.hpp"
#include "actors/messages.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/expiry_timer.hpp"
#include "actors/support/runtime.hpp"
#include "domain/access.hpp"
#include "domain/expiry.hpp"
#include "domain/role_schema.hpp"

namespace roster::actors {

struct project_state {
  runtime* rt = nullptr;
  caf::actor directory;
  commit_gate gate;
  reply_deadlines deadlines{internal_timeout};
  project_info info;
  std::shared_ptr<const role_schema> schema;
  project_grants grants;
  invitation_book invitations;
  // P8: the newest events (at least activity_in_memory of them), oldest
  // first; the whole log stays in storage. A vector trimmed in halves, not a
  // deque, whose empty form alone holds a 512-byte block.
  std::vector<activity_event> activity;
  // Events are numbered per project, not from the shared id space.
  std::uint64_t next_event = 1;
  // False until the copies of every granted team's members are in.
  bool teams_loaded = false;
  // Member changes a team sent before its commit was durable, in the order
  // they came, with every later change queued behind them; applied as their
  // tickets turn durable (settle_member_changes), dropped if they failed.
  // The check view is not readable while one waits.
  std::vector<member_change_msg> member_changes_in_doubt;
  // The view checks read without asking (null when there is none).
  project_view* view = nullptr;
  // T9: teams whose grant waits for the team's answer, and whether the team
  // was deleted meanwhile. The team orders its deletion and the grant (it
  // answers a deleted team's subscription not_found), but its revocation
  // travels through the directory and may overtake its answer: then the
  // grant is refused when the answer comes.
  std::vector<std::pair<entity_id, bool>> teams_being_granted;
  // P9: set for the first grant that ends (project_expiry.cpp).
  expiry_timer expiry;
};

// The project actor owns its state; a continuation reaches it through
// `self`, and runs only while the actor does.
using project_self = caf::stateful_actor<project_state>;
using project_reply = caf::result<caf::message>;

// How many of the newest activity events a project keeps in memory.
inline constexpr std::size_t activity_in_memory = max_activity_page;

void set_info(project_state& st, const project_info& info);

// A team's member change: applied now, or held until its commit is durable
// (or an earlier one is).
void take_member_change(project_state& st, const member_change_msg& change);
// Applies the held member changes whose commits are durable, in order, up to
// the first still pending; drops those whose commits failed.
void settle_member_changes(project_state& st);

// P4, with the service (no_entity) holding platform-admin rights.
effective_access access_of(const project_state& st, entity_id user);
// The standing `user`'s access here is decided with: their published fact,
// as a platform admin's if they are a tenant admin of this project's
// tenant (N4).
user_standing standing_here(const project_state& st, entity_id user);

// P1: only the owner, collaborators and administrators (U2, N4) see a project.
bool can_see(const project_state& st, entity_id acting);

// N2, N3: the project is its tenant's. Whether `user` belongs to it; and
// whether `acting` reaches the project at all: the service, platform
// admins, the tenant's users (its tenant admins among them) and the project's guests (users of another
// tenant holding a grant on it, which only an e-mail invitation gives).
// Everyone else finds no such project.
bool of_this_tenant(const project_state& st, entity_id user);
bool reaches_project(const project_state& st, entity_id acting);

// P4.1: the owner, platform admins, the tenant's admins (N4) and the
// service; not an owner who was made read-only (P4.4 caps them at view).
bool has_every_right(const project_state& st, entity_id acting);

bool has_action(const project_state& st, const effective_access& access, std::string_view action);

// P5: the right to grant, invite with or keep `offered`: the right for
// each level it gives, none above the acting user's own level in its
// category, and only the flags the acting user holds.
std::optional<failure> check_grant_right(const project_state& st, entity_id acting, const grant& offered);

// P5: the right to remove a grant (remove_collaborators, else manage_team).
bool may_remove_grants(const project_state& st, entity_id acting);

// U2: a read-only user holds view-level access at most.
std::optional<failure> check_platform_role(const project_state& st, entity_id user,
                                           const std::vector<std::uint8_t>& levels, bool upload);

// Levels by name, as callers give them back: one per category above 0.
std::vector<level_spec> named_levels(const role_schema& schema, const std::vector<std::uint8_t>& levels);

// P8: keeps `event` among the newest in memory.
void remember_event(project_state& st, activity_event event);

// P8: records `what` by `actor` with the change in `fx`.
void log_event(project_state& st, change_effects& fx, entity_id actor, std::string what);

// The time, for a check whose user's access may have ended (P9): asked only
// then.
inline auto now_of(const project_state& st) {
  return [&st] { return st.rt->time.now(); };
}

// P9 (project_expiry.cpp): sets the timer for the first grant that ends, if
// it is not set for then; and, when it fires, ends what expired: the grants
// erased, their holders told, the activity log written.
void schedule_expiry(project_self* self);
// The same for one grant that ends at `expires` (0: none), without looking
// at the others.
void schedule_expiry_at(project_self* self, millis expires);
void end_expired_access(project_self* self);

// "user alice", "team 7": how the activity log names a grant's subject.
std::string describe_user(const project_state& st, entity_id user);
std::string describe_team(entity_id team);

// The records of a direct grant to `user` (and the lookup index entry).
void write_user_grant(project_state& st, change_effects& fx, entity_id user, const grant& g);
void erase_user_grant(project_state& st, change_effects& fx, entity_id user);

// The project's record and its listing entry, after a change to either.
void write_project(const project_state& st, change_effects& fx);

// Tells `team` (through the directory) that this project holds no copy of
// its members any more.
void unsubscribe(caf::event_based_actor* self, const project_state& st, entity_id team);

// Handlers of project_changes.cpp (P5-P7).
project_reply set_level(project_self* self, entity_id acting, const project_set_level_cmd& cmd);
project_reply revoke(project_self* self, entity_id acting, const project_revoke_cmd& cmd);
project_reply transfer_ownership(project_self* self, entity_id acting, const project_owner_cmd& cmd);
project_reply delete_project(project_self* self, entity_id acting);

// Handlers of project_queries.cpp (P1, P2, P8, C2-C4).
project_reply show(project_self* self, entity_id acting);
project_reply collaborators(project_self* self, entity_id acting);
project_reply activity(project_self* self, entity_id acting, const project_activity_cmd& cmd);
project_reply check_many(project_self* self, const project_checks_msg& msg);
project_reply explain(project_self* self, const explain_cmd& cmd);
project_reply lookup_users(project_self* self, const lookup_users_cmd& cmd);
project_reply match(project_self* self, const project_match_msg& msg);

}  // namespace roster::actors
