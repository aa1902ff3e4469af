#include "actors/user/user_actor.hpp"

#include <map>
#include <thread>

#include "actors/messages.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/passivation.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

struct user_state {
  runtime* rt = nullptr;
  commit_gate gate;
  user_profile profile;
  std::map<entity_id, invitation> invitations;      // by id: newest last
  std::map<entity_id, notification> notifications;  // by id: newest last
  std::uint32_t unread = 0;
  // Mirrors that arrived before their commit was durable, in arrival order.
  std::vector<inbox_update_msg> in_doubt;
};

// The actor owns its state: a continuation reaches it through `self`, and
// runs only while the actor does.
using user_self = caf::stateful_actor<user_state>;

void load(user_state& st, entity_id id) {
  if (auto profile = st.rt->storage.get(keys::user(id))) st.profile = records::decode_user(*profile);
  std::string prefix = keys::with_id('B', id);
  st.rt->storage.scan(prefix, [&](std::string_view key, std::string_view value) {
    auto sub = key[keys::sub_tag_offset];
    auto entry = keys::read_id(key.substr(keys::sub_id_offset));
    if (sub == 'I') {
      target_kind kind;
      entity_id target;
      records::decode_locator(value, &kind, &target);
      // The owner's record is the truth about status; the inbox holds a copy.
      if (auto record = st.rt->storage.get(keys::invitation(kind, target, entry)))
        st.invitations[entry] = records::decode_invitation(*record);
    } else if (sub == 'N') {
      auto note = records::decode_notification(value);
      if (!note.read) ++st.unread;
      st.notifications[note.id] = note;
    }
  });
}

void add_notification(user_state& st, const notification& note) {
  auto [it, inserted] = st.notifications.emplace(note.id, note);
  if (inserted && !note.read) ++st.unread;
}

// I4: a rejected invitation's notifications are marked read.
void mark_read_for(caf::event_based_actor* self, user_state& st, entity_id invitation_id) {
  write_batch batch;
  for (auto& [id, note] : st.notifications) {
    if (note.invitation != invitation_id || note.read) continue;
    note.read = true;
    --st.unread;
    batch.push_back({keys::inbox_notification(st.profile.id, id), records::encode(note)});
  }
  if (!batch.empty()) st.gate.persist(self, std::move(batch), no_entity);
}

void apply(caf::event_based_actor* self, user_state& st, const inbox_update_msg& update) {
  for (const auto& inv : update.invitations) {
    st.invitations[inv.id] = inv;
    if (inv.status == invitation_status::rejected) mark_read_for(self, st, inv.id);
  }
  for (const auto& note : update.notifications) add_notification(st, note);
}

// Shows the mirrors whose commits are durable by now, in the order they
// came, and drops those whose commits failed. Runs before the inbox is read
// or changed: a caller who was answered that a change is durable finds its
// mirror shown. Outcomes are read newest first: an owner's commits become
// durable in order, so when a later mirror reads durable, its owner's
// earlier ones, read after it, do too, and a change never shows under an
// older one of the same invitation.
void settle_mirrors(caf::event_based_actor* self, user_state& st) {
  if (st.in_doubt.empty()) return;
  std::vector<commit_ticket::outcome> seen(st.in_doubt.size());
  for (auto i = seen.size(); i-- > 0;) seen[i] = st.in_doubt[i].committed->now();
  std::vector<inbox_update_msg> still;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    switch (seen[i]) {
      case commit_ticket::outcome::durable:
        apply(self, st, st.in_doubt[i]);
        break;
      case commit_ticket::outcome::pending:
        still.push_back(std::move(st.in_doubt[i]));
        break;
      case commit_ticket::outcome::failed:
        break;
    }
  }
  st.in_doubt = std::move(still);
}

// I9: invitations and notifications as one stream, newest (highest id)
// first, `limit` entries a page; `next` is the last entry given, so the
// page after it starts with the entry that did not fit.
inbox_view list(const user_state& st, const inbox_cmd& cmd) {
  inbox_view view;
  view.unread = st.unread;
  auto now = st.rt->time.now();
  auto before = cmd.after == no_entity ? ~entity_id{0} : cmd.after;
  auto invitation = std::make_reverse_iterator(st.invitations.lower_bound(before));
  auto notification = std::make_reverse_iterator(st.notifications.lower_bound(before));
  auto shown = [&](const std::pair<const entity_id, roster::actors::invitation>& entry) {
    return !cmd.filter_by_status || entry.second.status_at(now) == cmd.status;
  };
  while (invitation != st.invitations.rend() && !shown(*invitation)) ++invitation;
  std::size_t taken = 0;
  entity_id last = no_entity;
  for (;;) {
    bool invitations_left = invitation != st.invitations.rend();
    bool notifications_left = notification != st.notifications.rend();
    if (!invitations_left && !notifications_left) break;
    if (taken == cmd.limit) {
      view.next = last;
      break;
    }
    if (invitations_left && (!notifications_left || invitation->first > notification->first)) {
      auto inv = invitation->second;
      inv.status = inv.status_at(now);
      last = inv.id;
      view.invitations.push_back(std::move(inv));
      do ++invitation;
      while (invitation != st.invitations.rend() && !shown(*invitation));
    } else {
      last = notification->first;
      view.notifications.push_back(notification->second);
      ++notification;
    }
    ++taken;
  }
  return view;
}

// U4: a change about a user who was removed.
caf::error removed_already(const user_state& st) {
  return make_failure(ErrorCode::user_removed, "'" + st.profile.username + "' was removed from the platform");
}

authority authority_of(user_state& st, entity_id acting) { return st.rt->authority_over(acting, st.profile.tenant); }

// Who may change this user: N2 (another tenant's user finds no such user),
// then U2 and N4 (admins of the platform, or of the user's tenant).
std::optional<failure> may_change(user_state& st, entity_id acting) {
  auto standing = authority_of(st, acting);
  if (standing == authority::outsider) return failure{ErrorCode::not_found, "no such user"};
  return may_administer_user(standing, st.profile);
}

// The facts every check reads about this user (SPEC C5: a change is
// acknowledged only once they are in place).
void publish(const user_state& st) {
  const auto& p = st.profile;
  st.rt->facts.set(p.id, {true, true, p.removed, p.role, p.tenant_admin});
}

// Persists the profile; once durable, publishes the facts and answers.
caf::result<caf::message> save_profile(user_self* self) {
  auto& st = self->state;
  st.gate.persist(self, {{keys::user(st.profile.id), records::encode(st.profile)}}, no_entity);
  auto rp = self->make_response_promise();
  st.gate.after_durable([self, rp](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    publish(self->state);
    rp.deliver(caf::unit);
  });
  return rp;
}

// U4: the projects `user` owns, from the listing entries of the projects
// they own or hold a grant on.
std::vector<entity_id> owned_projects(storage_port& storage, entity_id user) {
  std::vector<entity_id> owned;
  auto prefix = keys::with_id('A', user) + "P";
  storage.scan(prefix, [&](std::string_view key, std::string_view) {
    auto project = keys::read_id(key.substr(prefix.size()));
    auto listing = storage.get(keys::project_listing(project));
    if (listing && records::decode_project(*listing).owner == user) owned.push_back(project);
  });
  return owned;
}

caf::error owns_projects(const user_state& st, const std::vector<entity_id>& owned) {
  std::string list;
  for (auto p : owned) list += (list.empty() ? "" : ", ") + std::to_string(p);
  return make_failure(ErrorCode::owns_projects,
                      "'" + st.profile.username + "' owns projects " + list + ": hand them over or delete them first");
}

// The mark and the profile in one write: a crash leaves both or neither,
// never a removal resumed for a user who is still there (C6).
void write_mark(caf::event_based_actor* self, user_state& st) {
  std::optional<std::string> mark;
  if (st.profile.removed) mark = std::string();
  st.gate.persist(self,
                  {{keys::pending_removal(st.profile.id), std::move(mark)},
                   {keys::user(st.profile.id), records::encode(st.profile)}},
                  no_entity);
}

// U4. The mark is published (the user acts no more, and actors refuse
// changes about them); then, once no change admitted before that is under
// way, an empty write, which the store makes durable
// only after every write submitted before it, so storage holds every change
// about the user that an actor admitted before the mark was out. If that
// made them own a project (a hand-over or a creation under way), the
// removal is refused after all, before any step ran; otherwise the answer
// lets the steps begin, and they read storage next.
caf::result<caf::message> mark_removed(user_self* self, entity_id acting) {
  auto& st = self->state;
  if (auto refused = may_change(st, acting)) return to_error(*refused);
  if (st.profile.removed) {
    // A removal interrupted by a crash goes on where it stopped; one that
    // ended is not done twice.
    if (st.rt->storage.get(keys::pending_removal(st.profile.id))) return reply_when_durable(self, st.gate, caf::unit);
    return removed_already(st);
  }
  if (auto owned = owned_projects(st.rt->storage, st.profile.id); !owned.empty()) return owns_projects(st, owned);
  st.profile.removed = true;
  write_mark(self, st);
  auto rp = self->make_response_promise();
  st.gate.after_durable([self, rp](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    auto& st = self->state;
    publish(st);
    // Every change about the user admitted before the mark was out is
    // submitted once none is under way (platform_facts); each is held within
    // one turn of another actor, so this waits microseconds, not for a call.
    while (st.rt->facts.changes_in_flight(st.profile.id)) std::this_thread::yield();
    st.gate.persist(self, {}, no_entity);
    st.gate.after_durable([self, rp](const failure* error) mutable {
      if (error) return rp.deliver(to_error(*error));
      auto& st = self->state;
      auto owned = owned_projects(st.rt->storage, st.profile.id);
      if (owned.empty()) return rp.deliver(caf::unit);
      st.profile.removed = false;
      write_mark(self, st);
      st.gate.after_durable([self, rp, owned](const failure* error) mutable {
        if (error) return rp.deliver(to_error(*error));
        publish(self->state);
        rp.deliver(owns_projects(self->state, owned));
      });
    });
  });
  return rp;
}

caf::behavior user_behavior(user_self* self, runtime* rt, entity_id id) {
  auto& st = self->state;
  st.rt = rt;
  st.gate.bind(*rt);
  load(st, id);

  caf::message_handler main{
      [self](entity_id, inbox_update_msg& update) -> caf::result<caf::message> {
        auto& st = self->state;
        if (update.committed) {
          st.in_doubt.push_back(std::move(update));
          settle_mirrors(self, st);
        } else {
          settle_mirrors(self, st);  // in order: an earlier mirror first
          apply(self, st, update);
        }
        return reply_when_durable(self, st.gate, caf::unit);
      },
      [self](entity_id acting, const user_show_cmd&) -> caf::result<caf::message> {
        // N2: a user looks up only their own tenant's users; platform
        // admins and the service, every tenant's.
        auto& st = self->state;
        if (authority_of(st, acting) == authority::outsider) return make_failure(ErrorCode::not_found, "no such user");
        return reply_when_durable(self, st.gate, st.profile);
      },
      [self](entity_id acting, const user_role_cmd& cmd) -> caf::result<caf::message> {
        auto& st = self->state;
        auto standing = authority_of(st, acting);
        if (standing == authority::outsider) return make_failure(ErrorCode::not_found, "no such user");
        if (auto refused = check_role_change(standing, st.profile, cmd.role)) return to_error(*refused);
        if (st.profile.removed) return removed_already(st);
        if (st.profile.role == cmd.role) return reply_when_durable(self, st.gate, caf::unit);
        st.profile.role = cmd.role;
        return save_profile(self);
      },
      [self](entity_id acting, const user_team_manager_cmd& cmd) -> caf::result<caf::message> {
        auto& st = self->state;
        if (auto refused = may_change(st, acting)) return to_error(*refused);
        if (st.profile.removed) return removed_already(st);
        if (st.profile.team_manager == cmd.team_manager) return reply_when_durable(self, st.gate, caf::unit);
        st.profile.team_manager = cmd.team_manager;
        return save_profile(self);
      },
      [self](entity_id acting, const user_tenant_admin_cmd& cmd) -> caf::result<caf::message> {
        auto& st = self->state;
        if (auto refused = may_change(st, acting)) return to_error(*refused);
        if (auto refused = check_tenant_admin_flag(st.profile, cmd.tenant_admin)) return to_error(*refused);
        if (st.profile.removed) return removed_already(st);
        if (st.profile.tenant_admin == cmd.tenant_admin) return reply_when_durable(self, st.gate, caf::unit);
        st.profile.tenant_admin = cmd.tenant_admin;
        return save_profile(self);
      },
      [self](entity_id, const mark_read_cmd& cmd) -> caf::result<caf::message> {
        auto& st = self->state;
        settle_mirrors(self, st);
        write_batch batch;
        auto mark = [&](notification& note) {
          if (note.read) return;
          note.read = true;
          --st.unread;
          batch.push_back({keys::inbox_notification(st.profile.id, note.id), records::encode(note)});
        };
        if (cmd.all) {
          for (auto& [id, note] : st.notifications) mark(note);
        } else {
          auto it = st.notifications.find(cmd.notification);
          if (it == st.notifications.end()) return make_failure(ErrorCode::not_found, "no such notification");
          mark(it->second);
        }
        if (!batch.empty()) st.gate.persist(self, std::move(batch), no_entity);
        return reply_when_durable(self, st.gate, caf::unit);
      },
      [self](const mark_removed_msg& msg) { return mark_removed(self, msg.acting); },
      [self](const removal_done_msg&) -> caf::result<caf::message> {
        auto& st = self->state;
        st.gate.persist(self, {{keys::pending_removal(st.profile.id), std::nullopt}}, no_entity);
        return reply_when_durable(self, st.gate, caf::unit);
      },
      [self](entity_id, const inbox_cmd& cmd) -> caf::result<caf::message> {
        if (auto bad = check_page_limit(cmd.limit, max_inbox_page)) return to_error(*bad);
        settle_mirrors(self, self->state);
        return reply_when_durable(self, self->state.gate, list(self->state, cmd));
      },
  };
  // A mirror in doubt is not in storage yet, for a fresh actor to load.
  auto can_stop = [self] {
    settle_mirrors(self, self->state);
    return self->state.in_doubt.empty() && self->state.gate.quiescent();
  };
  return caf::behavior{main.or_else(commit_handlers(self, st.gate)).or_else(passivation_handlers(self, can_stop))};
}

}  // namespace

caf::actor spawn_user_actor(caf::event_based_actor* parent, runtime* rt, entity_id id) {
  return parent->spawn(user_behavior, rt, id);
}

}  // namespace roster::actors
