#include "actors/team/team_actor.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/invitations/invitation_book.hpp"
#include "actors/messages.hpp"
#include "actors/published/actor_registry.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/expiry_timer.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/passivation.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/expiry.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

using reply = caf::result<caf::message>;

struct team_state {
  runtime* rt = nullptr;
  caf::actor directory;
  commit_gate gate;
  reply_deadlines deadlines{internal_timeout};
  team_info info;
  absl::flat_hash_map<entity_id, team_member> members;
  invitation_book invitations;
  // Projects holding a copy of the members (SPEC C1). Persisted, so that a
  // team that restarts still tells them every change.
  absl::flat_hash_set<entity_id> granting_projects;
  // P9: set for the first membership that ends.
  expiry_timer expiry;
};

// The actor owns its state: a continuation reaches it through `self`, and
// runs only while the actor does.
using team_self = caf::stateful_actor<team_state>;

// ---------------------------------------------------------------- rules

// U2, N4: platform admins (and the service) act on every team; a tenant
// admin on every team of their tenant.
bool administers_team(const team_state& st, entity_id acting) {
  return administers(st.rt->authority_over(acting, st.info.tenant));
}

// P9: a membership that ended is none, from that instant, whether or not
// the expiry timer has removed it yet.
bool membership_in_force(const team_state& st, const team_member& m) {
  return m.expires == 0 || in_force(m.expires, st.rt->time.now());
}

// N2: the team belongs to its tenant; a user of another one finds nothing
// here. Platform admins (and the service) see every tenant.
bool of_this_tenant(const team_state& st, entity_id user) {
  return st.rt->user_tenant(user) == std::optional<entity_id>(st.info.tenant);
}

bool sees_team(const team_state& st, entity_id acting) {
  return st.rt->authority_over(acting, st.info.tenant) != authority::outsider;
}

const team_member* member_of(const team_state& st, entity_id user) {
  auto it = st.members.find(user);
  return it == st.members.end() || !membership_in_force(st, it->second) ? nullptr : &it->second;
}

// T3: manager and admins manage the team; so do administrators (U2, N4).
bool can_manage(const team_state& st, entity_id acting) {
  if (administers_team(st, acting)) return true;
  auto* m = member_of(st, acting);
  return m && m->role != team_role::member;
}

bool is_manager(const team_state& st, entity_id acting) {
  auto* m = member_of(st, acting);
  return m && m->role == team_role::manager;
}

std::optional<failure> must_manage(const team_state& st, entity_id acting) {
  if (can_manage(st, acting)) return std::nullopt;
  return failure{ErrorCode::permission_denied, "only the team's manager and admins may do this"};
}

// The member a command names, or why there is none.
caf::expected<entity_id> named_member(const team_state& st, const user_ref& ref) {
  auto user = resolve_user(st.rt->storage, ref);
  if (user && member_of(st, *user)) return *user;
  return make_failure(ErrorCode::not_found, "no such member of this team");
}

// ---------------------------------------------------------------- records

team_summary summary(const team_state& st) {
  return team_summary{st.info.id, st.info.name, st.info.icon, static_cast<std::uint32_t>(st.members.size()),
                      st.info.tenant};
}

// The team's listing entry, after a change to its name, icon or count.
void write_listing(const team_state& st, change_effects& fx) {
  if (st.info.deleted)
    fx.batch.push_back({keys::team_listing(st.info.id), std::nullopt});
  else
    fx.batch.push_back({keys::team_listing(st.info.id), records::encode(summary(st))});
}

// The team record and its listing entry, after a change to the record. (A
// member coming or going changes the listing's count only: the record is
// not written again, and a watcher sees no change to the team.)
void write_team(const team_state& st, change_effects& fx) {
  fx.batch.push_back({keys::team(st.info.id), records::encode(st.info)});
  write_listing(st, fx);
}

void write_member(const team_state& st, change_effects& fx, const team_member& m) {
  fx.batch.push_back({keys::team_member(st.info.id, m.user), records::encode(m)});
  fx.batch.push_back({keys::user_team(m.user, st.info.id), std::string()});
}

void load(team_state& st, entity_id id) {
  st.info.id = id;
  auto now = st.rt->time.now();
  st.rt->storage.scan(keys::team(id), [&](std::string_view key, std::string_view value) {
    if (key.size() == 9) {
      st.info = records::decode_team(value);
    } else if (key[keys::sub_tag_offset] == 'M') {
      auto member = records::decode_member(value);
      st.members.emplace(member.user, member);
    } else if (key[keys::sub_tag_offset] == 'I') {
      st.invitations.add_loaded(records::decode_invitation(value), now);
    } else if (key[keys::sub_tag_offset] == 'P') {
      st.granting_projects.insert(keys::read_id(key.substr(keys::sub_id_offset)));
    }
  });
}

// ---------------------------------------------------------------- committing

// Tells every project holding a copy about member changes and waits for all
// of them: a removal is effective when acknowledged (SPEC C5).
void push_member_changes(team_self* self, std::vector<member_change_msg> changes, std::function<void()> done) {
  auto& st = self->state;
  std::vector<member_change_msg> messages;
  for (auto project : st.granting_projects)
    for (auto change : changes) {
      change.project = project;
      messages.push_back(change);
    }
  await_all(
      self, messages.size(),
      [self, messages](std::size_t i, std::function<void()> answered) {
        // A project that cannot answer has stopped; it reloads the members
        // from this team when it is activated again. One not in memory
        // reloads them too: the directory answers for it.
        auto& st = self->state;
        auto direct = st.rt->registry().send_to('P', messages[i].project, [&](const caf::actor& project) {
          request_with_deadline(self, st.deadlines, project, answered, messages[i]);
        });
        if (!direct) request_with_deadline(self, st.deadlines, st.directory, std::move(answered), messages[i]);
      },
      std::move(done));
}

// Sends every project holding a copy the member changes of a commit not yet
// durable, with its ticket, to each active one directly: each applies them
// once the ticket says durable, and its check view sends readers to it
// until it has taken them in. False when a project is not active (or is
// stopping): then it has to be told through the directory, and waited for.
bool send_member_changes_ahead(const team_state& st, const std::vector<member_change_msg>& changes,
                               const std::shared_ptr<const commit_ticket>& ticket) {
  bool every_one = true;
  for (auto project : st.granting_projects) {
    auto* view = st.rt->checks.view_of(project);
    every_one &= st.rt->registry().send_to('P', project, [&](const caf::actor& handle) {
      for (auto change : changes) {
        change.project = project;
        change.committed = ticket;
        if (view) view->expect_member_change();
        caf::anon_send(handle, std::move(change));
      }
    });
  }
  return every_one;
}

// Persists `fx`; once durable, the projects' copies are updated, the inbox
// mirrors delivered and `value` answered. When every project holding a copy
// is active, the changes go to them now and the answer needs nothing more
// from this actor (the storage writer sends it); otherwise the projects are
// told once the change is durable, and answer before the caller is.
template <class T>
reply commit(team_self* self, change_effects fx, T value, std::vector<member_change_msg> changes = {}) {
  auto& st = self->state;
  // No project holds a copy of the members: none to tell.
  if (changes.empty() || st.granting_projects.empty())
    return persist_then_reply(self, st, std::move(fx), std::move(value));
  auto ticket = std::make_shared<commit_ticket>();
  if (send_member_changes_ahead(st, changes, ticket))
    return persist_then_reply(self, st, std::move(fx), std::move(value), nullptr, std::move(ticket));
  // Those sent ahead apply the changes twice: a member set or erased again.
  return persist_then_reply(
      self, st, std::move(fx), std::move(value),
      [self, changes](std::function<void()> next, std::function<void(caf::error)>) {
        push_member_changes(self, changes, std::move(next));
      },
      std::move(ticket));
}

member_change_msg joined(const team_state& st, const team_member& m) {
  return member_change_msg{no_entity, st.info.id, member_entry{m.user, m.flags, m.expires}, true, nullptr};
}

member_change_msg left(const team_state& st, const team_member& m) {
  return member_change_msg{no_entity, st.info.id, member_entry{m.user, m.flags, m.expires}, false, nullptr};
}

// Adds `user` as a member with `flags` until `expires`: the record, the
// listing count. The username is read from their profile unless the caller
// knows it (an invitation names its invitee).
team_member admit(team_state& st, change_effects& fx, entity_id user, member_flags flags, millis expires,
                  std::string username = {}) {
  if (username.empty())
    if (auto profile = load_user(st.rt->storage, user)) username = profile->username;
  team_member m{user, std::move(username), team_role::member, flags, expires};
  st.members[user] = m;
  write_member(st, fx, m);
  write_listing(st, fx);
  return m;
}

// Removes a member: the record, the listing count.
team_member expel(team_state& st, change_effects& fx, entity_id user) {
  auto m = st.members.at(user);
  st.members.erase(user);
  fx.batch.push_back({keys::team_member(st.info.id, user), std::nullopt});
  fx.batch.push_back({keys::user_team(user, st.info.id), std::nullopt});
  write_listing(st, fx);
  return m;
}

// ---------------------------------------------------------------- expiry (P9)

// Checks are exact at every instant without this: the projects' copies of
// the members carry each membership's end (domain/access.hpp), and this
// actor counts a membership that ended as none (member_of). What happens
// here is the rest of the rule, at that instant: the member is removed, the
// projects' copies follow, and the member is told. One timer per team, for
// the first membership that ends.

// Persists a change no caller waits for (the timer's), with the member
// changes it makes: as commit() does, but answering no one.
void commit_unasked(team_self* self, change_effects fx, std::vector<member_change_msg> changes) {
  auto& st = self->state;
  std::shared_ptr<commit_ticket> ticket;
  bool all_sent_ahead = true;
  if (!changes.empty() && !st.granting_projects.empty()) {
    ticket = std::make_shared<commit_ticket>();
    all_sent_ahead = send_member_changes_ahead(st, changes, ticket);
  }
  st.gate.persist(self, std::move(fx.batch), fx.high_id);
  st.gate.after_durable([self, ticket, all_sent_ahead, changes = std::move(changes),
                         deliveries = std::move(fx.deliveries), busy = st.gate.hold()](const failure* error) mutable {
    if (ticket) ticket->settle(error == nullptr);
    if (error) return;
    auto& st = self->state;
    deliver_to_inboxes(*st.rt, st.directory, std::move(deliveries));
    if (!all_sent_ahead) push_member_changes(self, std::move(changes), [busy] {});
  });
}

// Sets the timer for a membership that ends at `expires` (0: never), unless
// one is set for then or sooner.
void schedule_expiry_at(team_self* self, millis expires) {
  self->state.expiry.schedule(self, expires, self->state.rt->time.now());
}

void schedule_expiry(team_self* self) {
  millis first = 0;
  for (const auto& entry : self->state.members) first = earlier_expiry(first, entry.second.expires);
  schedule_expiry_at(self, first);
}

// The timer fired: every membership that ended is removed, its member told.
void end_expired_memberships(team_self* self) {
  auto& st = self->state;
  st.expiry.fired();
  if (st.info.deleted) return;
  std::vector<entity_id> ended;
  for (const auto& [user, m] : st.members)
    if (!membership_in_force(st, m)) ended.push_back(user);
  if (!ended.empty()) {
    change_effects fx;
    std::vector<member_change_msg> changes;
    for (auto user : ended) {
      changes.push_back(left(st, expel(st, fx, user)));
      add_notification(*st.rt, fx, user, notification_kind::access_ended, st.info.id, no_entity, no_entity);
    }
    commit_unasked(self, std::move(fx), std::move(changes));
  }
  // A timer that fired early (another clock's time, in tests) is set again.
  schedule_expiry(self);
}

// T8, P9: the manager stays until they hand the role over, so a member who
// becomes the manager keeps the membership without end. True when it had one.
bool make_manager(team_member& m) {
  m.role = team_role::manager;
  bool had_end = m.expires != 0;
  m.expires = 0;
  return had_end;
}

// ---------------------------------------------------------------- commands

reply invite(team_self* self, entity_id acting, const team_invite_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  // U4: a removal cancels the invitations a user sent, so sending one is a
  // change about the inviter too.
  auto inviter = st.rt->admit_change_about(acting);
  if (inviter.fact.removed) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
  if (auto bad = check_message(cmd.message)) return to_error(*bad);
  if (auto bad = check_expiry(cmd.expires, st.rt->time.now())) return to_error(*bad);
  auto invitee = resolve_invitee(*st.rt, cmd.invitee);
  if (!invitee) return std::move(invitee.error());
  // N2, N3: a team admits only its own tenant's users; another's is not there.
  if (invitee->user != no_entity && invitee->tenant != st.info.tenant)
    return make_failure(ErrorCode::not_found, "no user '" + cmd.invitee + "'");
  if (invitee->user != no_entity && member_of(st, invitee->user))
    return make_failure(ErrorCode::already_member, "'" + cmd.invitee + "' is already a member");
  if (st.invitations.has_pending(*invitee, st.rt->time.now()))
    return make_failure(ErrorCode::already_invited,
                        "'" + cmd.invitee + "' already has a pending invitation (remind instead)");

  invitation offer;
  offer.kind = target_kind::team;
  offer.target = st.info.id;
  offer.inviter = acting;
  offer.invitee = invitee->user;
  offer.invitee_email = invitee->email;
  offer.invitee_name = invitee->username;
  offer.target_name = st.info.name;
  if (auto* inviter = member_of(st, acting)) offer.inviter_name = inviter->username;
  offer.team_flags = cmd.flags;
  offer.membership_expires = cmd.expires;
  offer.message = cmd.message;
  auto fx = st.invitations.open(*st.rt, offer);
  if (invitee->user != no_entity) return commit(self, std::move(fx), offer.id);
  return persist_then_reply(self, st, std::move(fx), offer.id,
                            hand_over_if_registered(self, *st.rt, offer.id, invitee->email));
}

reply answer(team_self* self, entity_id acting, const answer_invitation_cmd& cmd) {
  auto& st = self->state;
  auto* inv = st.invitations.find(*st.rt, cmd.invitation);
  if (!inv) return make_failure(ErrorCode::not_found, "no such invitation");
  if (cmd.answer == answer_kind::accept || cmd.answer == answer_kind::reject)
    st.invitations.bind_if_addressed_to(*st.rt, *inv, acting);
  // The inviter manages the invitation, and the team's managers while it stands (I5).
  bool manages = !st.info.deleted && (acting == inv->inviter || can_manage(st, acting));
  if (auto refused = invitation_book::refuse_answer(*inv, acting, cmd.answer, manages, "the team's managers"))
    return to_error(*refused);
  if (auto refused = invitation_book::not_answerable(*inv, st.rt->time.now())) return to_error(*refused);
  if (cmd.answer == answer_kind::accept && member_of(st, inv->invitee))
    return make_failure(ErrorCode::already_member, "you are already a member of this team");
  // U4: an acceptance that was on its way while its invitee was removed.
  auto joining = st.rt->admit_change_about(cmd.answer == answer_kind::accept ? inv->invitee : no_entity);
  if (joining.fact.removed) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
  if (cmd.answer == answer_kind::remind) {
    change_effects fx;
    if (auto refused = st.invitations.remind(*st.rt, *inv, acting, &fx)) return to_error(*refused);
    return commit(self, std::move(fx), caf::unit);
  }

  // N3: an invitation to an address whose user is of another tenant leads
  // nowhere: a team admits only its own tenant's users.
  if (cmd.answer == answer_kind::accept && !of_this_tenant(st, inv->invitee))
    return make_failure(ErrorCode::not_found, "no such invitation");
  // P9: the membership it offered ended before it was taken.
  if (cmd.answer == answer_kind::accept && !in_force(inv->membership_expires, st.rt->time.now()))
    return make_failure(ErrorCode::invitation_expired,
                        "the membership the invitation offered ended at " + utc_time(inv->membership_expires));

  auto fx = st.invitations.answer(*st.rt, *inv, cmd.answer, acting);
  if (cmd.answer != answer_kind::accept) return commit(self, std::move(fx), caf::unit);
  // I3: joining at once, with exactly the flags offered, until the end offered.
  auto m = admit(st, fx, inv->invitee, inv->team_flags, inv->membership_expires, inv->invitee_name);
  schedule_expiry_at(self, m.expires);
  return commit(self, std::move(fx), caf::unit, {joined(st, m)});
}

reply leave(team_self* self, entity_id acting) {
  auto& st = self->state;
  auto* m = member_of(st, acting);
  if (!m) return make_failure(ErrorCode::not_found, "you are not a member of this team");
  if (m->role == team_role::manager)
    return make_failure(ErrorCode::manager_cannot_leave,
                        "the manager cannot leave: hand the manager role to a member first");
  change_effects fx;
  auto gone = expel(st, fx, acting);
  return commit(self, std::move(fx), caf::unit, {left(st, gone)});
}

reply set(team_self* self, entity_id acting, const team_set_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  if (cmd.name)
    if (auto bad = check_entity_name("a team", *cmd.name)) return to_error(*bad);
  if (cmd.icon)
    if (auto bad = check_icon(*cmd.icon)) return to_error(*bad);
  if (cmd.name) st.info.name = *cmd.name;
  if (cmd.icon) st.info.icon = *cmd.icon;
  if (cmd.admission_mode) st.info.admission_mode = *cmd.admission_mode;
  change_effects fx;
  write_team(st, fx);
  return commit(self, std::move(fx), caf::unit);
}

reply set_admin(team_self* self, entity_id acting, const team_admin_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  auto user = named_member(st, cmd.user);
  if (!user) return std::move(user.error());
  auto& m = st.members[*user];
  if (m.role == team_role::manager)
    return make_failure(ErrorCode::permission_denied, "the manager's role changes only by hand-over (team transfer)");
  auto role = cmd.admin ? team_role::admin : team_role::member;
  if (m.role == role) return reply_when_durable(self, st.gate, caf::unit);
  m.role = role;
  change_effects fx;
  write_member(st, fx, m);
  add_notification(*st.rt, fx, *user, notification_kind::role_changed, st.info.id, no_entity, acting);
  return commit(self, std::move(fx), caf::unit);
}

reply add(team_self* self, entity_id acting, const team_add_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  if (st.info.admission_mode != admission::direct)
    return make_failure(ErrorCode::permission_denied,
                        "this team admits by invitation: invite instead, or set admission to direct");
  auto user = resolve_user(st.rt->storage, cmd.user);
  if (!user || !of_this_tenant(st, *user)) return make_failure(ErrorCode::not_found, "no such user");  // N2
  auto joining = st.rt->admit_change_about(*user);                                                     // U4
  if (joining.fact.removed) return make_failure(ErrorCode::user_removed, "the user was removed from the platform");
  if (member_of(st, *user)) return make_failure(ErrorCode::already_member, "already a member of this team");
  if (auto bad = check_expiry(cmd.expires, st.rt->time.now())) return to_error(*bad);
  change_effects fx;
  // A pending invitation would offer what the user now has: cancel it.
  st.invitations.cancel_pending(*st.rt, fx, acting, *user);
  auto m = admit(st, fx, *user, cmd.flags, cmd.expires);
  schedule_expiry_at(self, m.expires);
  add_notification(*st.rt, fx, *user, notification_kind::added_to_team, st.info.id, no_entity, acting);
  return commit(self, std::move(fx), caf::unit, {joined(st, m)});
}

reply remove(team_self* self, entity_id acting, const team_remove_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  auto user = named_member(st, cmd.user);
  if (!user) return std::move(user.error());
  if (st.members[*user].role == team_role::manager)
    return make_failure(ErrorCode::permission_denied, "the manager cannot be removed: hand the role over first");
  change_effects fx;
  auto gone = expel(st, fx, *user);
  add_notification(*st.rt, fx, *user, notification_kind::removed_from_team, st.info.id, no_entity, acting);
  return commit(self, std::move(fx), caf::unit, {left(st, gone)});
}

reply transfer(team_self* self, entity_id acting, const team_transfer_cmd& cmd) {
  auto& st = self->state;
  if (!is_manager(st, acting) && !administers_team(st, acting))
    return make_failure(ErrorCode::permission_denied, "only the manager hands the manager role over");
  auto user = named_member(st, cmd.user);
  if (!user) return std::move(user.error());
  change_effects fx;
  for (auto& [id, m] : st.members)
    if (m.role == team_role::manager && id != *user) {
      m.role = team_role::admin;  // T8: the old manager becomes an admin
      write_member(st, fx, m);
      add_notification(*st.rt, fx, id, notification_kind::role_changed, st.info.id, no_entity, acting);
    }
  auto& next = st.members[*user];
  std::vector<member_change_msg> changes;
  if (next.role != team_role::manager) {
    if (make_manager(next)) changes.push_back(joined(st, next));
    write_member(st, fx, next);
    add_notification(*st.rt, fx, *user, notification_kind::role_changed, st.info.id, no_entity, acting);
  }
  return commit(self, std::move(fx), caf::unit, std::move(changes));
}

reply set_flags(const team_state& st, entity_id acting, const team_set_flags_cmd& cmd) {
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  if (auto user = named_member(st, cmd.user); !user) return std::move(user.error());
  return make_failure(ErrorCode::immutable_permissions,
                      "a member's flags never change: remove the member and invite them again");
}

// T9: revokes the team's grants on every project that holds one, one project
// after another, then forgets the project. Resumed on activation, so a crash
// in between leaves no grant of a deleted team behind; each step is
// idempotent.
void revoke_grants(team_self* self, std::function<void()> done, std::function<void(caf::error)> fail) {
  auto& st = self->state;
  if (st.granting_projects.empty()) {
    st.gate.persist(self, {{keys::pending_team_deletion(st.info.id), std::nullopt}}, no_entity);
    return done();
  }
  auto project = *st.granting_projects.begin();
  self->request(st.directory, internal_timeout, revoke_team_msg{project, st.info.id})
      .then(
          [self, project, done, fail]() {
            auto& st = self->state;
            st.granting_projects.erase(project);
            st.gate.persist(self, {{keys::team_granting_project(st.info.id, project), std::nullopt}}, no_entity);
            revoke_grants(self, done, fail);
          },
          [self, fail](caf::error& e) {
            // Stop; the next activation resumes the deletion.
            fail(e);
            self->quit(std::move(e));
          });
}

reply remove_team(team_self* self, entity_id acting) {
  auto& st = self->state;
  if (auto refused = must_manage(st, acting)) return to_error(*refused);
  st.info.deleted = true;
  change_effects fx;
  write_team(st, fx);
  // Resumed at the next start if a crash interrupts the revocations.
  fx.batch.push_back({keys::pending_team_deletion(st.info.id), std::string()});
  st.invitations.cancel_pending(*st.rt, fx, acting);
  for (auto& [user, m] : st.members) {
    if (membership_in_force(st, m))
      add_notification(*st.rt, fx, user, notification_kind::team_deleted, st.info.id, no_entity, acting);
    fx.batch.push_back({keys::user_team(user, st.info.id), std::nullopt});
  }
  return persist_then_reply(self, st, std::move(fx), caf::unit,
                            [self](std::function<void()> next, std::function<void(caf::error)> fail) {
                              revoke_grants(self, std::move(next), std::move(fail));
                            });
}

// U4: the user was removed from the platform. A manager's role passes to
// the earliest admin, else the earliest member; a team left with no one is
// deleted. Idempotent.
reply member_gone(team_self* self, entity_id user) {
  auto& st = self->state;
  auto it = st.members.find(user);
  if (st.info.deleted || it == st.members.end()) return reply_when_durable(self, st.gate, caf::unit);
  change_effects fx;
  std::vector<member_change_msg> changes;
  if (it->second.role == team_role::manager) {
    const team_member* heir = nullptr;
    for (auto& [id, m] : st.members) {
      if (id == user || !membership_in_force(st, m)) continue;
      if (!heir || (m.role == team_role::admin && heir->role != team_role::admin) ||
          (m.role == heir->role && id < heir->user))
        heir = &m;
    }
    if (!heir) return remove_team(self, no_entity);
    auto& next = st.members[heir->user];
    if (make_manager(next)) changes.push_back(joined(st, next));
    write_member(st, fx, next);
    add_notification(*st.rt, fx, next.user, notification_kind::role_changed, st.info.id, no_entity, no_entity);
  }
  changes.push_back(left(st, expel(st, fx, user)));
  return commit(self, std::move(fx), caf::unit, std::move(changes));
}

team_view show(const team_state& st, entity_id acting) {
  team_view view;
  view.info = st.info;
  for (auto& [id, member] : st.members)
    if (membership_in_force(st, member)) view.members.push_back(member);
  std::sort(view.members.begin(), view.members.end(),
            [](const team_member& a, const team_member& b) { return a.user < b.user; });
  if (can_manage(st, acting)) {
    auto now = st.rt->time.now();
    for (auto& [id, inv] : st.invitations.all(*st.rt)) {
      view.invitations.push_back(inv);
      view.invitations.back().status = inv.status_at(now);
    }
  }
  return view;
}

// Answers commands about a team that exists; a deleted one is not found.
template <class Command, class Fn>
auto live(team_self* self, Fn fn) {
  return [self, fn](entity_id acting, const Command& cmd) -> reply {
    // N2: another tenant's team is not there for them.
    if (self->state.info.deleted || !sees_team(self->state, acting))
      return make_failure(ErrorCode::not_found, "no such team");
    return fn(acting, cmd);
  };
}

caf::behavior team_behavior(team_self* self, runtime* rt, caf::actor directory, entity_id id,
                            std::optional<new_team> created) {
  auto& st = self->state;
  st.rt = rt;
  st.directory = std::move(directory);
  st.gate.bind(*rt);
  st.invitations.belongs_to(target_kind::team, id);
  auto manager = rt->admit_change_about(created ? created->manager.user : no_entity);
  if (created && manager.fact.removed) {
    // U4: the manager was removed after the directory let them act and
    // before this first turn: nothing is written, the creation is refused.
    st.info = created->info;
    st.info.deleted = true;
  } else if (created) {
    st.info = created->info;
    st.members.emplace(created->manager.user, created->manager);
    change_effects fx;
    write_team(st, fx);
    write_member(st, fx, created->manager);
    st.gate.persist(self, std::move(fx.batch), id);
  } else {
    load(st, id);
    if (st.info.deleted)
      revoke_grants(
          self, [] {}, [](caf::error) {});
    else
      schedule_expiry(self);
  }

  caf::message_handler main{
      [self](entity_id, const create_team_cmd&) -> reply {
        auto& st = self->state;
        if (st.info.deleted) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
        return reply_when_durable(self, st.gate, st.info.id);
      },
      live<team_invite_cmd>(self,
                            [self](entity_id acting, const team_invite_cmd& cmd) { return invite(self, acting, cmd); }),
      // Not live<>: the invitee of an invitation that the deletion cancelled
      // is told so (I5), not that nothing is there.
      [self](entity_id acting, const answer_invitation_cmd& cmd) { return answer(self, acting, cmd); },
      live<team_leave_cmd>(self, [self](entity_id acting, const team_leave_cmd&) { return leave(self, acting); }),
      live<team_set_cmd>(self, [self](entity_id acting, const team_set_cmd& cmd) { return set(self, acting, cmd); }),
      live<team_admin_cmd>(
          self, [self](entity_id acting, const team_admin_cmd& cmd) { return set_admin(self, acting, cmd); }),
      live<team_add_cmd>(self, [self](entity_id acting, const team_add_cmd& cmd) { return add(self, acting, cmd); }),
      live<team_remove_cmd>(self,
                            [self](entity_id acting, const team_remove_cmd& cmd) { return remove(self, acting, cmd); }),
      live<team_transfer_cmd>(
          self, [self](entity_id acting, const team_transfer_cmd& cmd) { return transfer(self, acting, cmd); }),
      live<team_set_flags_cmd>(
          self,
          [self](entity_id acting, const team_set_flags_cmd& cmd) { return set_flags(self->state, acting, cmd); }),
      live<team_delete_cmd>(self,
                            [self](entity_id acting, const team_delete_cmd&) { return remove_team(self, acting); }),
      live<team_show_cmd>(self,
                          [self](entity_id acting, const team_show_cmd&) -> reply {
                            return reply_when_durable(self, self->state.gate, show(self->state, acting));
                          }),
      [self](const team_subscribe_msg& msg) -> reply {
        // T9: a grant to a deleted team is refused; one subscribed before the
        // deletion is among the grants the deletion revokes.
        auto& st = self->state;
        // N2: a project grants only its own tenant's teams.
        if (st.info.deleted || msg.tenant != st.info.tenant) return make_failure(ErrorCode::not_found, "no such team");
        member_set set;
        if (st.granting_projects.insert(msg.project).second)
          st.gate.persist(self, {{keys::team_granting_project(st.info.id, msg.project), std::string()}}, no_entity);
        for (auto& [user, member] : st.members)
          if (membership_in_force(st, member)) set.members.push_back({user, member.flags, member.expires});
        return reply_when_durable(self, st.gate, std::move(set));
      },
      [self](const member_gone_msg& msg) { return member_gone(self, msg.user); },
      [self](end_expired_atom) { end_expired_memberships(self); },
      [self](const bind_invitee_msg& msg) -> reply {
        // U4: a user removed since registering is not handed invitations.
        auto& st = self->state;
        auto invitee = st.rt->admit_change_about(msg.user);
        if (invitee.fact.removed) return reply_when_durable(self, st.gate, caf::unit);
        return commit(self, st.invitations.bind_or_hand_over(*st.rt, msg), caf::unit);
      },
      [self](const team_unsubscribe_msg& msg) -> reply {
        // The project revoked the team's grant or was deleted. Idempotent.
        auto& st = self->state;
        if (st.granting_projects.erase(msg.project) > 0)
          st.gate.persist(self, {{keys::team_granting_project(st.info.id, msg.project), std::nullopt}}, no_entity);
        return reply_when_durable(self, st.gate, caf::unit);
      },
  };
  // A deleted team still revoking its grants keeps at it (T9); one whose
  // member's access ends stays to end it at the instant (P9).
  auto can_stop = [self] {
    auto& st = self->state;
    return st.gate.quiescent() && !(st.info.deleted && !st.granting_projects.empty()) && !st.expiry.pending();
  };
  return caf::behavior{main.or_else(commit_handlers(self, st.gate))
                           .or_else(reply_deadline_handlers(self, st.deadlines))
                           .or_else(passivation_handlers(self, can_stop))};
}

}  // namespace

caf::actor spawn_team_actor(caf::event_based_actor* parent, runtime* rt, caf::actor directory, entity_id id,
                            std::optional<new_team> created) {
  return parent->spawn(team_behavior, rt, std::move(directory), id, std::move(created));
}

}  // namespace roster::actors
