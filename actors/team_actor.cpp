#include "actors/team_actor.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <map>

#include "actors/commit_gate.hpp"
#include "actors/durable_reply.hpp"
#include "actors/inbox_delivery.hpp"
#include "actors/invitation_book.hpp"
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
  invitation_book invitations;
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
      st.invitations.add_loaded(records::decode_invitation(value));
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
  if (st->invitations.has_pending(*invitee, st->rt->time.now()))
    return make_failure(ErrorCode::already_invited,
                        "'" + cmd.invitee + "' already has a pending invitation (remind instead)");

  invitation offer;
  offer.kind = target_kind::team;
  offer.target = st->info.id;
  offer.inviter = acting;
  offer.invitee = *invitee;
  offer.team_flags = cmd.flags;
  offer.message = cmd.message;
  auto fx = st->invitations.open(*st->rt, offer);
  return persist_then_reply(self, st->gate, st->directory, std::move(fx), offer.id);
}

caf::result<caf::message> answer(caf::event_based_actor* self, const state_ptr& st,
                                 entity_id acting, const answer_invitation_cmd& cmd) {
  auto* inv = st->invitations.find(cmd.invitation);
  if (!inv) return make_failure(ErrorCode::not_found, "no such invitation");
  if (cmd.answer == answer_kind::cancel) {
    if (acting != inv->inviter && !can_manage(*st, acting))
      return make_failure(ErrorCode::permission_denied, "only the inviter or the team's managers cancel");
  } else if (acting != inv->invitee) {
    return make_failure(ErrorCode::permission_denied, "only the invitee accepts or rejects an invitation");
  }
  if (auto refused = invitation_book::not_answerable(*inv, st->rt->time.now())) return to_error(*refused);
  if (cmd.answer == answer_kind::accept && st->members.count(inv->invitee))
    return make_failure(ErrorCode::already_member, "you are already a member of this team");

  auto fx = st->invitations.answer(*st->rt, *inv, cmd.answer, acting);
  if (cmd.answer != answer_kind::accept)
    return persist_then_reply(self, st->gate, st->directory, std::move(fx), caf::unit);

  // I3: joining at once, with exactly the flags offered.
  auto profile = load_user(st->rt->storage, inv->invitee);
  team_member member{inv->invitee, profile ? profile->username : std::string{}, team_role::member, inv->team_flags};
  st->members[member.user] = member;
  fx.batch.push_back({keys::team_member(st->info.id, member.user), records::encode(member)});
  member_change_msg joined{no_entity, st->info.id, member_entry{member.user, member.flags}, true};
  return persist_then_reply(self, st->gate, st->directory, std::move(fx), caf::unit,
                            [self, st, joined](std::function<void()> next) {
                              push_member_change(self, st, joined, std::move(next));
                            });
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
    for (auto& [id, inv] : st.invitations.all()) {
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
