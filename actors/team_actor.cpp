#include "actors/team_actor.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <map>

#include "actors/commit_gate.hpp"
#include "actors/durable_reply.hpp"
#include "actors/inbox_delivery.hpp"
#include "actors/invitation_records.hpp"
#include "actors/keys.hpp"
#include "actors/lookup.hpp"
#include "actors/messages.hpp"
#include "actors/records.hpp"
#include "actors/validation.hpp"

namespace roster::actors {
namespace {

struct team_state {
  runtime* rt = nullptr;
  caf::actor directory;
  commit_gate gate;
  team_info info;
  absl::flat_hash_map<entity_id, team_member> members;
  std::map<entity_id, invitation> invitations;
  // Projects holding a copy of the members (SPEC C1). Persisted, so that a
  // team that restarts still tells them every change.
  absl::flat_hash_set<entity_id> granting_projects;
};

using state_ptr = std::shared_ptr<team_state>;

void load(team_state& st, entity_id id) {
  st.info.id = id;
  st.rt->storage.scan(keys::team(id), [&](std::string_view key, std::string_view value) {
    if (key.size() == 9) {
      st.info = records::decode_team(value);
    } else if (key[keys::sub_tag_offset] == 'M') {
      auto member = records::decode_member(value);
      st.members.emplace(member.user, member);
    } else if (key[keys::sub_tag_offset] == 'I') {
      auto inv = records::decode_invitation(value);
      st.invitations.emplace(inv.id, inv);
    } else if (key[keys::sub_tag_offset] == 'P') {
      st.granting_projects.insert(keys::read_id(key.substr(keys::sub_id_offset)));
    }
  });
}

bool is_platform_admin(const team_state& st, entity_id acting) {
  return acting == no_entity || st.rt->user_fact(acting).role == platform_role::admin;
}

// T3: manager and admins manage the team; so do platform admins (U2).
bool can_manage(const team_state& st, entity_id acting) {
  if (is_platform_admin(st, acting)) return true;
  auto it = st.members.find(acting);
  return it != st.members.end() && it->second.role != team_role::member;
}

// Tells every project holding a copy about a member change and waits for
// all of them: a removal is effective when acknowledged (SPEC C5).
void push_member_change(caf::event_based_actor* self, const state_ptr& st, member_change_msg change,
                        std::function<void()> done) {
  std::vector<entity_id> projects(st->granting_projects.begin(), st->granting_projects.end());
  await_all(
      self, projects.size(),
      [self, st, projects, change](std::size_t i, std::function<void()> answered) mutable {
        change.project = projects[i];
        // A project that cannot answer has stopped; it reloads the members
        // from this team when it is activated again.
        self->request(st->directory, internal_timeout, change)
            .then([answered]() { answered(); }, [answered](caf::error&) { answered(); });
      },
      std::move(done));
}

caf::result<caf::message> invite(caf::event_based_actor* self, const state_ptr& st,
                                 entity_id acting, const team_invite_cmd& cmd) {
  if (!can_manage(*st, acting))
    return make_failure(ErrorCode::permission_denied, "only the team's manager and admins invite");
  if (auto bad = check_message(cmd.message)) return to_error(*bad);
  auto invitee = find_user(st->rt->storage, cmd.invitee);
  if (!invitee || !st->rt->user_fact(*invitee).exists || st->rt->user_fact(*invitee).removed) {
    if (looks_like_email(cmd.invitee)) {
      if (auto bad = check_email(normalize_email(cmd.invitee))) return to_error(*bad);
    }
    return make_failure(ErrorCode::not_found, "no user '" + cmd.invitee + "'");
  }
  if (st->members.count(*invitee))
    return make_failure(ErrorCode::already_member, "'" + cmd.invitee + "' is already a member");
  auto now = st->rt->time.now();
  for (auto& [id, inv] : st->invitations)
    if (inv.invitee == *invitee && inv.status_at(now) == invitation_status::pending)
      return make_failure(ErrorCode::already_invited,
                          "'" + cmd.invitee + "' already has a pending invitation (remind instead)");

  invitation inv;
  inv.id = st->rt->allocate_id();
  inv.kind = target_kind::team;
  inv.target = st->info.id;
  inv.inviter = acting;
  inv.invitee = *invitee;
  inv.team_flags = cmd.flags;
  inv.message = cmd.message;
  inv.created = now;
  inv.expires = now + st->rt->config.invitation_ttl;
  st->invitations.emplace(inv.id, inv);

  auto note = make_notification(*st->rt, notification_kind::invited, st->info.id, inv.id, acting);
  write_batch batch;
  write_new_invitation(batch, inv);
  write_notification(batch, inv.invitee, note);
  st->gate.persist(self, std::move(batch), note.id);

  auto rp = self->make_response_promise();
  st->gate.after_durable([self, st, rp, inv, note](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    deliver_to_inboxes(self, st->directory, {{inv.invitee, {{inv}, {note}}}},
                       [rp, id = inv.id]() mutable { rp.deliver(id); });
  });
  return rp;
}

// Validates that `acting` may answer `inv` as asked; nullopt when allowed.
std::optional<failure> check_answer(const team_state& st, entity_id acting, const invitation& inv,
                                    answer_kind answer) {
  if (answer == answer_kind::cancel) {
    if (acting != inv.inviter && !can_manage(st, acting))
      return failure{ErrorCode::permission_denied, "only the inviter or the team's managers cancel"};
  } else if (acting != inv.invitee) {
    return failure{ErrorCode::permission_denied, "only the invitee accepts or rejects an invitation"};
  }
  switch (inv.status_at(st.rt->time.now())) {
    case invitation_status::pending:
      return std::nullopt;
    case invitation_status::cancelled:
      return failure{ErrorCode::invitation_cancelled, "the invitation was cancelled"};
    case invitation_status::expired:
      return failure{ErrorCode::invitation_expired, "the invitation has expired"};
    default:
      return failure{ErrorCode::invitation_not_pending, "the invitation was already answered"};
  }
}

caf::result<caf::message> answer(caf::event_based_actor* self, const state_ptr& st,
                                 entity_id acting, const answer_invitation_cmd& cmd) {
  auto it = st->invitations.find(cmd.invitation);
  if (it == st->invitations.end()) return make_failure(ErrorCode::not_found, "no such invitation");
  auto& inv = it->second;
  if (auto refused = check_answer(*st, acting, inv, cmd.answer)) return to_error(*refused);
  if (cmd.answer == answer_kind::accept && st->members.count(inv.invitee))
    return make_failure(ErrorCode::already_member, "you are already a member of this team");

  write_batch batch;
  std::vector<inbox_delivery> deliveries;
  std::optional<member_change_msg> joined;
  entity_id high_id = inv.id;
  auto notify = [&](entity_id user, notification_kind kind) {
    auto note = make_notification(*st->rt, kind, st->info.id, inv.id, acting);
    write_notification(batch, user, note);
    high_id = note.id;
    return note;
  };

  switch (cmd.answer) {
    case answer_kind::accept: {
      inv.status = invitation_status::accepted;
      auto profile = load_user(st->rt->storage, inv.invitee);
      team_member member{inv.invitee, profile ? profile->username : std::string{},
                         team_role::member, inv.team_flags};
      st->members[member.user] = member;
      batch.push_back({keys::team_member(st->info.id, member.user), records::encode(member)});
      joined = member_change_msg{no_entity, st->info.id, member_entry{member.user, member.flags}, true};
      if (inv.inviter != no_entity)
        deliveries.push_back({inv.inviter, {{}, {notify(inv.inviter, notification_kind::invitation_accepted)}}});
      break;
    }
    case answer_kind::reject:
      inv.status = invitation_status::rejected;
      if (inv.inviter != no_entity)
        deliveries.push_back({inv.inviter, {{}, {notify(inv.inviter, notification_kind::invitation_rejected)}}});
      break;
    case answer_kind::cancel:
      inv.status = invitation_status::cancelled;
      deliveries.push_back({inv.invitee, {{}, {notify(inv.invitee, notification_kind::invitation_cancelled)}}});
      break;
  }
  write_invitation(batch, inv);
  deliveries.push_back({inv.invitee, {{inv}, {}}});
  st->gate.persist(self, std::move(batch), high_id);

  auto rp = self->make_response_promise();
  st->gate.after_durable([self, st, rp, joined, deliveries](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    auto reply = [self, st, rp, deliveries]() mutable {
      deliver_to_inboxes(self, st->directory, deliveries, [rp]() mutable { rp.deliver(caf::unit); });
    };
    if (joined)
      push_member_change(self, st, *joined, reply);
    else
      reply();
  });
  return rp;
}

caf::result<caf::message> leave(caf::event_based_actor* self, const state_ptr& st,
                                entity_id acting) {
  auto it = st->members.find(acting);
  if (it == st->members.end()) return make_failure(ErrorCode::not_found, "you are not a member of this team");
  if (it->second.role == team_role::manager)
    return make_failure(ErrorCode::manager_cannot_leave,
                        "the manager cannot leave: hand the manager role to a member first");
  member_change_msg left{no_entity, st->info.id, member_entry{acting, it->second.flags}, false};
  st->members.erase(it);
  st->gate.persist(self, {{keys::team_member(st->info.id, acting), std::nullopt}}, no_entity);

  auto rp = self->make_response_promise();
  st->gate.after_durable([self, st, rp, left](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    push_member_change(self, st, left, [rp]() mutable { rp.deliver(caf::unit); });
  });
  return rp;
}

team_view show(const team_state& st, entity_id acting) {
  team_view view;
  view.info = st.info;
  for (auto& [id, member] : st.members) view.members.push_back(member);
  std::sort(view.members.begin(), view.members.end(),
            [](const team_member& a, const team_member& b) { return a.user < b.user; });
  if (can_manage(st, acting)) {
    auto now = st.rt->time.now();
    for (auto& [id, inv] : st.invitations) {
      view.invitations.push_back(inv);
      view.invitations.back().status = inv.status_at(now);
    }
  }
  return view;
}

bool is_active_user(const team_state& st, entity_id acting) {
  if (acting == no_entity) return true;
  auto fact = st.rt->user_fact(acting);
  return fact.exists && !fact.removed;
}

}  // namespace

caf::behavior team_actor(caf::event_based_actor* self, runtime* rt, caf::actor directory,
                         entity_id id, std::optional<new_team> created) {
  auto st = std::make_shared<team_state>();
  st->rt = rt;
  st->directory = std::move(directory);
  st->gate.bind(*rt);
  if (created) {
    st->info = created->info;
    st->members.emplace(created->manager.user, created->manager);
    st->gate.persist(self,
                     {{keys::team(id), records::encode(st->info)},
                      {keys::team_member(id, created->manager.user), records::encode(created->manager)}},
                     id);
  } else {
    load(*st, id);
  }

  caf::message_handler main{
      [=](entity_id, const create_team_cmd&) { return reply_when_durable(self, st->gate, st->info.id); },
      [=](entity_id acting, const team_invite_cmd& cmd) { return invite(self, st, acting, cmd); },
      [=](entity_id acting, const answer_invitation_cmd& cmd) { return answer(self, st, acting, cmd); },
      [=](entity_id acting, const team_leave_cmd&) { return leave(self, st, acting); },
      [=](entity_id acting, const team_show_cmd&) -> caf::result<caf::message> {
        if (!is_active_user(*st, acting)) return make_failure(ErrorCode::unauthenticated, "unknown acting user");
        return reply_when_durable(self, st->gate, show(*st, acting));
      },
      [=](const team_subscribe_msg& msg) -> caf::result<caf::message> {
        if (st->granting_projects.insert(msg.project).second)
          st->gate.persist(self, {{keys::team_granting_project(st->info.id, msg.project), std::string()}},
                           no_entity);
        member_set set;
        for (auto& [user, member] : st->members) set.members.push_back({user, member.flags});
        return reply_when_durable(self, st->gate, std::move(set));
      },
  };
  return caf::behavior{main.or_else(commit_handlers(self, st->gate))};
}

}  // namespace roster::actors
