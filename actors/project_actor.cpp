#include "actors/project_actor.hpp"

#include <map>

#include "actors/access.hpp"
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

struct project_state {
  runtime* rt = nullptr;
  caf::actor directory;
  commit_gate gate;
  project_info info;
  std::shared_ptr<const role_schema> schema;
  project_grants grants;
  invitation_book invitations;
};

using state_ptr = std::shared_ptr<project_state>;

void set_info(project_state& st, const project_info& info) {
  st.info = info;
  st.schema = role_schema::builtin(info.schema);
  if (!st.schema) st.schema = role_schema::simple();
  st.grants.schema = st.schema.get();
  st.grants.kind = info.kind;
  st.grants.policy = info.policy;
  st.grants.owner = info.owner;
}

void load(project_state& st, entity_id id) {
  st.rt->storage.scan(keys::project(id), [&](std::string_view key, std::string_view value) {
    if (key.size() == 9) {
      set_info(st, records::decode_project(value));
    } else if (key[keys::sub_tag_offset] == 'G') {
      entity_id subject;
      bool to_team;
      auto g = records::decode_grant(value, &subject, &to_team);
      (to_team ? st.grants.teams : st.grants.users)[subject] = std::move(g);
    } else if (key[keys::sub_tag_offset] == 'I') {
      st.invitations.add_loaded(records::decode_invitation(value));
    }
  });
}

effective_access access_of(const project_state& st, entity_id user) {
  if (user == no_entity) {  // the service: platform-admin rights
    return effective_access{st.schema->top_levels(), true, true};
  }
  return resolve_access(st.grants, user, st.rt->user_fact(user));
}

// P1: only the owner, collaborators and platform admins see a project.
bool can_see(const project_state& st, entity_id acting) {
  auto access = access_of(st, acting);
  for (auto level : access.levels)
    if (level > 0) return true;
  return access.upload || access.download;
}

bool has_action(const project_state& st, const effective_access& access, std::string_view action) {
  auto need = st.schema->find_action(action);
  return need && st.schema->allows_level(access.levels, *need) && need->level > 0;
}

// P5: granting or inviting at `levels` needs invite_<level> for each level
// given where the schema has such actions (simple), else manage_team.
std::optional<failure> check_grant_right(const project_state& st, entity_id acting,
                                         const std::vector<std::uint8_t>& levels) {
  if (!can_see(st, acting)) return failure{ErrorCode::not_found, "no such project"};
  auto access = access_of(st, acting);
  for (std::size_t c = 0; c < levels.size(); ++c) {
    if (levels[c] == 0) continue;
    auto invite_action = "invite_" + st.schema->all()[c].levels[levels[c]];
    bool allowed = st.schema->find_action(invite_action) ? has_action(st, access, invite_action)
                                                         : has_action(st, access, "manage_team");
    if (!allowed)
      return failure{ErrorCode::permission_denied,
                     "you may not grant '" + st.schema->all()[c].levels[levels[c]] + "' on this project"};
  }
  return std::nullopt;
}

// U2: a read-only user holds view-level access at most.
std::optional<failure> check_platform_role(const project_state& st, entity_id user,
                                           const std::vector<std::uint8_t>& levels, bool upload) {
  if (st.rt->user_fact(user).role != platform_role::read_only) return std::nullopt;
  auto caps = read_only_caps(*st.schema);
  for (std::size_t c = 0; c < levels.size(); ++c)
    if (levels[c] > caps[c] || upload)
      return failure{ErrorCode::exceeds_platform_role, "a read-only user can hold view access only"};
  return std::nullopt;
}

caf::result<caf::message> invite(caf::event_based_actor* self, const state_ptr& st,
                                 entity_id acting, const project_invite_cmd& cmd) {
  grant offered;
  if (cmd.access.levels.size() > limits::level_specs_max)
    return make_failure(ErrorCode::invalid_argument, "at most 16 levels");
  if (auto bad = st->schema->resolve(cmd.access.levels, &offered.levels)) return to_error(*bad);
  if (auto bad = check_message(cmd.message)) return to_error(*bad);
  if (auto refused = check_grant_right(*st, acting, offered.levels)) return to_error(*refused);
  auto invitee = find_user(st->rt->storage, cmd.invitee);
  if (!invitee || !st->rt->user_fact(*invitee).exists || st->rt->user_fact(*invitee).removed)
    return make_failure(ErrorCode::not_found, "no user '" + cmd.invitee + "'");
  if (auto refused = check_platform_role(*st, *invitee, offered.levels, cmd.access.upload))
    return to_error(*refused);
  if (*invitee == st->info.owner || st->grants.users.count(*invitee))
    return make_failure(ErrorCode::already_member, "'" + cmd.invitee + "' is already a collaborator");
  if (st->invitations.has_pending(*invitee, st->rt->time.now()))
    return make_failure(ErrorCode::already_invited, "'" + cmd.invitee + "' already has a pending invitation");

  invitation offer;
  offer.kind = target_kind::project;
  offer.target = st->info.id;
  offer.inviter = acting;
  offer.invitee = *invitee;
  offer.project = cmd.access;
  offer.message = cmd.message;
  auto fx = st->invitations.open(*st->rt, offer);
  return persist_then_reply(self, st->gate, st->directory, std::move(fx), offer.id);
}

caf::result<caf::message> answer(caf::event_based_actor* self, const state_ptr& st,
                                 entity_id acting, const answer_invitation_cmd& cmd) {
  auto* inv = st->invitations.find(cmd.invitation);
  if (!inv) return make_failure(ErrorCode::not_found, "no such invitation");
  if (cmd.answer == answer_kind::cancel || cmd.answer == answer_kind::remind) {
    auto access = access_of(*st, acting);
    if (acting != inv->inviter && !has_action(*st, access, "remove_collaborators") &&
        !has_action(*st, access, "manage_team"))
      return make_failure(ErrorCode::permission_denied, "only the inviter or the project's managers cancel or remind");
  } else if (acting != inv->invitee) {
    return make_failure(ErrorCode::permission_denied, "only the invitee accepts or rejects an invitation");
  }
  if (auto refused = invitation_book::not_answerable(*inv, st->rt->time.now())) return to_error(*refused);
  if (cmd.answer == answer_kind::remind) {
    change_effects fx;
    if (auto refused = st->invitations.remind(*st->rt, *inv, acting, &fx)) return to_error(*refused);
    return persist_then_reply(self, st->gate, st->directory, std::move(fx), caf::unit);
  }
  if (cmd.answer != answer_kind::accept) {
    auto fx = st->invitations.answer(*st->rt, *inv, cmd.answer, acting);
    return persist_then_reply(self, st->gate, st->directory, std::move(fx), caf::unit);
  }

  // I3: the grant offered, checked again against the schema and the
  // invitee's platform role as they are now.
  grant g;
  if (auto bad = st->schema->resolve(inv->project.levels, &g.levels)) return to_error(*bad);
  if (auto refused = check_platform_role(*st, inv->invitee, g.levels, inv->project.upload))
    return to_error(*refused);
  g.upload = inv->project.upload;
  g.download = inv->project.download;
  auto fx = st->invitations.answer(*st->rt, *inv, cmd.answer, acting);
  fx.batch.push_back({keys::project_user_grant(st->info.id, inv->invitee), records::encode_grant(false, inv->invitee, g)});
  st->grants.users[inv->invitee] = std::move(g);
  return persist_then_reply(self, st->gate, st->directory, std::move(fx), caf::unit);
}

caf::result<caf::message> grant_team(caf::event_based_actor* self, const state_ptr& st,
                                     entity_id acting, const grant_team_cmd& cmd) {
  grant g;
  if (cmd.access.levels.size() > limits::level_specs_max)
    return make_failure(ErrorCode::invalid_argument, "at most 16 levels");
  if (auto bad = st->schema->resolve(cmd.access.levels, &g.levels)) return to_error(*bad);
  if (auto refused = check_grant_right(*st, acting, g.levels)) return to_error(*refused);
  if (st->grants.teams.count(cmd.team))
    return make_failure(ErrorCode::already_member, "the team is already a collaborator");
  g.upload = cmd.access.upload;
  g.download = cmd.access.download;

  auto rp = self->make_response_promise();
  // The team answers its members and from then on keeps this copy current.
  self->request(st->directory, internal_timeout, team_subscribe_msg{cmd.team, st->info.id})
      .then(
          [self, st, rp, cmd, g](member_set& set) mutable {
            auto& copy = st->grants.team_members[cmd.team];
            copy.clear();
            for (auto& m : set.members) copy[m.user] = m.flags;
            st->grants.teams[cmd.team] = g;
            st->gate.persist(self,
                             {{keys::project_team_grant(st->info.id, cmd.team),
                               records::encode_grant(true, cmd.team, g)}},
                             no_entity);
            st->gate.after_durable([rp](const failure* error) mutable {
              if (error) return rp.deliver(to_error(*error));
              rp.deliver(caf::unit);
            });
          },
          [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
  return rp;
}

caf::result<caf::message> check(caf::event_based_actor* self, const state_ptr& st, const check_cmd& cmd) {
  auto need = st->schema->find_action(cmd.action);
  if (!need) return make_failure(ErrorCode::invalid_argument, "no action '" + cmd.action + "' in this project's schema");
  bool allowed = allows(st->grants, cmd.user.id, st->rt->user_fact(cmd.user.id), *need);
  return reply_when_durable(self, st->gate, allowed);
}

caf::message_handler main_handlers(caf::event_based_actor* self, const state_ptr& st) {
  return {
      [=](entity_id, const create_project_cmd&) {
        return reply_when_durable(self, st->gate, st->info.id);
      },
      [=](const check_cmd& cmd) { return check(self, st, cmd); },
      [=](entity_id acting, const project_invite_cmd& cmd) { return invite(self, st, acting, cmd); },
      [=](entity_id acting, const answer_invitation_cmd& cmd) { return answer(self, st, acting, cmd); },
      [=](entity_id acting, const grant_team_cmd& cmd) { return grant_team(self, st, acting, cmd); },
      [=](const revoke_team_msg& msg) -> caf::result<caf::message> {
        // T9: the team was deleted. Idempotent: the deletion may be resumed.
        st->grants.team_members.erase(msg.team);
        if (st->grants.teams.erase(msg.team) > 0)
          st->gate.persist(self, {{keys::project_team_grant(st->info.id, msg.team), std::nullopt}}, no_entity);
        return reply_when_durable(self, st->gate, caf::unit);
      },
      [=](const member_change_msg& change) {
        auto members = st->grants.team_members.find(change.team);
        if (members != st->grants.team_members.end()) {
          if (change.present)
            members->second[change.member.user] = change.member.flags;
          else
            members->second.erase(change.member.user);
        }
        return caf::unit;
      },
  };
}

// Fetches the members of each granted team, one after the other; `await`
// holds every other message back until the copies are complete.
void subscribe_teams(caf::event_based_actor* self, const state_ptr& st,
                     std::shared_ptr<std::vector<entity_id>> pending) {
  if (pending->empty()) return;
  auto team = pending->back();
  pending->pop_back();
  self->request(st->directory, internal_timeout, team_subscribe_msg{team, st->info.id})
      .await(
          [self, st, team, pending](member_set& set) {
            auto& copy = st->grants.team_members[team];
            for (auto& m : set.members) copy[m.user] = m.flags;
            subscribe_teams(self, st, pending);
          },
          [self](caf::error& e) {
            // Without the members, checks could wrongly deny: stop, and let
            // the next call activate this project again.
            self->quit(std::move(e));
          });
}

}  // namespace

caf::behavior project_actor(caf::event_based_actor* self, runtime* rt, caf::actor directory,
                            entity_id id, std::optional<project_info> created) {
  auto st = std::make_shared<project_state>();
  st->rt = rt;
  st->directory = std::move(directory);
  st->gate.bind(*rt);
  if (created) {
    set_info(*st, *created);
    st->gate.persist(self, {{keys::project(id), records::encode(st->info)}}, id);
  } else {
    load(*st, id);
    auto teams = std::make_shared<std::vector<entity_id>>();
    for (auto& [team, g] : st->grants.teams) teams->push_back(team);
    subscribe_teams(self, st, teams);
  }
  return caf::behavior{main_handlers(self, st).or_else(commit_handlers(self, st->gate))};
}

}  // namespace roster::actors
