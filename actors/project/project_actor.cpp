#include "actors/project/project_actor.hpp"

#include <map>
#include <mutex>
#include <shared_mutex>

#include <caf/all.hpp>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/invitations/invitation_book.hpp"
#include "actors/messages.hpp"
#include "actors/project/project_state.hpp"
#include "actors/published/check_index.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/passivation.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/access.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

void load(project_state& st, entity_id id) {
  auto now = st.rt->time.now();
  st.rt->storage.scan(keys::project(id), [&](std::string_view key, std::string_view value) {
    if (key.size() == 9) {
      set_info(st, records::decode_project(value));
      return;
    }
    switch (key[keys::sub_tag_offset]) {
      case 'G': {
        entity_id subject;
        bool to_team;
        auto g = records::decode_grant(value, &subject, &to_team);
        if (to_team)
          st.grants.put_team(subject, std::move(g));
        else
          st.grants.put_user(subject, std::move(g));
        break;
      }
      case 'I':
        st.invitations.add_loaded(records::decode_invitation(value), now);
        break;
      case 'E':
        st.next_event = keys::read_id(key.substr(keys::sub_id_offset)) + 1;
        remember_event(st, records::decode_activity(value));
        break;
      default:
        break;
    }
  });
}

std::string describe_levels(const project_state& st, const std::vector<std::uint8_t>& levels) {
  std::string out;
  for (const auto& l : named_levels(*st.schema, levels)) out += (out.empty() ? "" : " ") + l.category + "=" + l.level;
  return out;
}

caf::result<caf::message> invite(project_self* self, entity_id acting, const project_invite_cmd& cmd) {
  auto& st = self->state;
  grant offered;
  if (cmd.access.levels.size() > limits::level_specs_max)
    return make_failure(ErrorCode::invalid_argument, "at most 16 levels");
  if (auto bad = st.schema->resolve(cmd.access.levels, &offered.levels)) return to_error(*bad);
  if (auto bad = check_message(cmd.message)) return to_error(*bad);
  if (auto bad = check_expiry(cmd.access.expires, st.rt->time.now())) return to_error(*bad);
  offered.upload = cmd.access.upload;
  offered.download = cmd.access.download;
  offered.expires = cmd.access.expires;
  if (auto refused = check_grant_right(st, acting, offered)) return to_error(*refused);
  // U4: a removal cancels the invitations a user sent, so sending one is a
  // change about the inviter too.
  auto inviter = st.rt->admit_change_about(acting);
  if (inviter.fact.removed) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
  auto invitee = resolve_invitee(*st.rt, cmd.invitee);
  if (!invitee) return std::move(invitee.error());
  // N2, N3: by username, only the tenant's users; another tenant's user is
  // reached by their address alone, and becomes a guest of this project.
  if (invitee->user != no_entity && !invitee->named_by_email && invitee->tenant != st.info.tenant)
    return make_failure(ErrorCode::not_found, "no user '" + cmd.invitee + "'");
  if (invitee->user != no_entity) {
    if (auto refused = check_platform_role(st, invitee->user, offered.levels, cmd.access.upload))
      return to_error(*refused);
    if (invitee->user == st.info.owner || st.grants.users().count(invitee->user))
      return make_failure(ErrorCode::already_member, "'" + cmd.invitee + "' is already a collaborator");
  }
  if (st.invitations.has_pending(*invitee, st.rt->time.now()))
    return make_failure(ErrorCode::already_invited, "'" + cmd.invitee + "' already has a pending invitation");

  invitation offer;
  offer.kind = target_kind::project;
  offer.target = st.info.id;
  offer.inviter = acting;
  offer.invitee = invitee->user;
  offer.invitee_email = invitee->email;
  offer.invitee_name = invitee->username;
  offer.target_name = st.info.name;
  offer.project = cmd.access;
  offer.message = cmd.message;
  auto fx = st.invitations.open(*st.rt, offer);
  auto who = invitee->user != no_entity ? describe_user(st, invitee->user) : invitee->email;
  log_event(st, fx, acting,
            "invited " + who + " at " + describe_levels(st, offered.levels) + describe_expiry(offered.expires));
  if (invitee->user != no_entity) return persist_then_reply(self, st, std::move(fx), offer.id);
  return persist_then_reply(self, st, std::move(fx), offer.id,
                            hand_over_if_registered(self, *st.rt, offer.id, invitee->email));
}

caf::result<caf::message> answer(project_self* self, entity_id acting, const answer_invitation_cmd& cmd) {
  auto& st = self->state;
  auto* inv = st.invitations.find(*st.rt, cmd.invitation);
  if (!inv) return make_failure(ErrorCode::not_found, "no such invitation");
  if (cmd.answer == answer_kind::accept || cmd.answer == answer_kind::reject)
    st.invitations.bind_if_addressed_to(*st.rt, *inv, acting);
  // The inviter manages the invitation, and the project's managers while it stands (P1, I5).
  bool manages = !st.info.deleted && (acting == inv->inviter || may_remove_grants(st, acting));
  if (auto refused = invitation_book::refuse_answer(*inv, acting, cmd.answer, manages, "the project's managers"))
    return to_error(*refused);
  if (auto refused = invitation_book::not_answerable(*inv, st.rt->time.now())) return to_error(*refused);
  if (cmd.answer == answer_kind::remind) {
    change_effects fx;
    if (auto refused = st.invitations.remind(*st.rt, *inv, acting, &fx)) return to_error(*refused);
    log_event(st, fx, acting, "reminded invitation " + std::to_string(inv->id));
    return persist_then_reply(self, st, std::move(fx), caf::unit);
  }
  if (cmd.answer != answer_kind::accept) {
    auto fx = st.invitations.answer(*st.rt, *inv, cmd.answer, acting);
    log_event(st, fx, acting,
              (cmd.answer == answer_kind::reject ? "rejected invitation " : "cancelled invitation ") +
                  std::to_string(inv->id));
    return persist_then_reply(self, st, std::move(fx), caf::unit);
  }

  // U4: an acceptance that was on its way while its invitee was removed.
  auto joining = st.rt->admit_change_about(inv->invitee);
  if (joining.fact.removed) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
  // I3: the grant offered, checked again against the schema and the
  // invitee's platform role as they are now.
  grant g;
  if (auto bad = st.schema->resolve(inv->project.levels, &g.levels)) return to_error(*bad);
  if (auto refused = check_platform_role(st, inv->invitee, g.levels, inv->project.upload)) return to_error(*refused);
  // P9: the access it offered ended before it was taken.
  if (!in_force(inv->project.expires, st.rt->time.now()))
    return make_failure(ErrorCode::invitation_expired,
                        "the access the invitation offered ended at " + utc_time(inv->project.expires));
  g.upload = inv->project.upload;
  g.download = inv->project.download;
  g.expires = inv->project.expires;
  auto fx = st.invitations.answer(*st.rt, *inv, cmd.answer, acting);
  write_user_grant(st, fx, inv->invitee, g);
  log_event(st, fx, acting, "accepted invitation " + std::to_string(inv->id) + describe_expiry(g.expires));
  schedule_expiry_at(self, g.expires);
  return persist_then_reply(self, st, std::move(fx), caf::unit);
}

bool being_granted(const project_state& st, entity_id team) {
  for (const auto& [granted, revoked] : st.teams_being_granted)
    if (granted == team) return true;
  return false;
}

// Ends the wait for `team`'s answer; true when the team was deleted meanwhile.
bool stop_granting(project_state& st, entity_id team) {
  auto& waiting = st.teams_being_granted;
  for (auto it = waiting.begin(); it != waiting.end(); ++it) {
    if (it->first != team) continue;
    bool revoked = it->second;
    waiting.erase(it);
    return revoked;
  }
  return false;
}

caf::result<caf::message> grant_team(project_self* self, entity_id acting, const grant_team_cmd& cmd) {
  auto& st = self->state;
  grant g;
  if (cmd.access.levels.size() > limits::level_specs_max)
    return make_failure(ErrorCode::invalid_argument, "at most 16 levels");
  if (auto bad = st.schema->resolve(cmd.access.levels, &g.levels)) return to_error(*bad);
  if (auto bad = check_expiry(cmd.access.expires, st.rt->time.now())) return to_error(*bad);
  g.upload = cmd.access.upload;
  g.download = cmd.access.download;
  g.expires = cmd.access.expires;
  if (auto refused = check_grant_right(st, acting, g)) return to_error(*refused);
  if (st.grants.teams().count(cmd.team) || being_granted(st, cmd.team))
    return make_failure(ErrorCode::already_member, "the team is already a collaborator");
  // A deleted team has no listing entry (T9); its actor would grant no one.
  if (!st.rt->storage.get(keys::team_listing(cmd.team))) return make_failure(ErrorCode::not_found, "no such team");

  auto rp = self->make_response_promise();
  st.teams_being_granted.emplace_back(cmd.team, false);
  // The team answers its members and from then on keeps this copy current;
  // a deleted team answers not_found.
  self->request(st.directory, internal_timeout, team_subscribe_msg{cmd.team, st.info.id, st.info.tenant})
      .then(
          [self, rp, cmd, g, acting, busy = st.gate.hold()](member_set& set) mutable {
            auto& st = self->state;
            bool deleted_meanwhile = stop_granting(st, cmd.team);
            if (deleted_meanwhile || st.info.deleted)
              return rp.deliver(make_failure(ErrorCode::not_found, "no such team"));
            project_grants::member_map copy;
            for (auto& m : set.members) copy[m.user] = member_copy{m.flags, m.expires};
            st.grants.put_members(cmd.team, std::move(copy));
            st.grants.put_team(cmd.team, g);
            change_effects fx;
            fx.batch.push_back(
                {keys::project_team_grant(st.info.id, cmd.team), records::encode_grant(true, cmd.team, g)});
            log_event(st, fx, acting,
                      "granted " + describe_team(cmd.team) + " " + describe_levels(st, g.levels) +
                          describe_expiry(g.expires));
            schedule_expiry_at(self, g.expires);
            st.gate.persist(self, std::move(fx.batch), fx.high_id);
            st.gate.after_durable([rp](const failure* error) mutable {
              if (error) return rp.deliver(to_error(*error));
              rp.deliver(caf::unit);
            });
          },
          [self, rp, team = cmd.team](caf::error& e) mutable {
            auto& st = self->state;
            stop_granting(st, team);
            rp.deliver(std::move(e));
          });
  return rp;
}

caf::result<caf::message> check(project_self* self, const check_cmd& cmd) {
  auto& st = self->state;
  auto need = st.schema->find_action(cmd.action);
  if (!need)
    return make_failure(ErrorCode::invalid_argument, "no action '" + cmd.action + "' in this project's schema");
  bool allowed = allows(st.grants, cmd.user.id, standing_here(st, cmd.user.id), *need, now_of(st));
  return reply_when_durable(self, st.gate, allowed);
}

// Answers commands about a project that exists; a deleted one is not found.
template <class Command, class Fn>
auto live(project_self* self, Fn fn) {
  return [self, fn](entity_id acting, const Command& cmd) -> caf::result<caf::message> {
    auto& st = self->state;
    if (st.info.deleted || !reaches_project(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
    return fn(acting, cmd);
  };
}

caf::message_handler main_handlers(project_self* self) {
  auto gone = [self]() -> std::optional<caf::error> {
    auto& st = self->state;
    if (st.info.deleted) return make_failure(ErrorCode::not_found, "no such project");
    return std::nullopt;
  };
  return {
      [self](entity_id, const create_project_cmd&) -> caf::result<caf::message> {
        auto& st = self->state;
        if (st.info.deleted) return make_failure(ErrorCode::unauthenticated, "the acting user was removed");
        return reply_when_durable(self, st.gate, st.info.id);
      },
      [self, gone](const check_cmd& cmd) -> caf::result<caf::message> {
        if (auto e = gone()) return *e;
        return check(self, cmd);
      },
      [self, gone](const project_checks_msg& msg) -> caf::result<caf::message> {
        if (auto e = gone()) return *e;
        return check_many(self, msg);
      },
      [self, gone](const explain_cmd& cmd) -> caf::result<caf::message> {
        if (auto e = gone()) return *e;
        return explain(self, cmd);
      },
      [self, gone](const lookup_users_cmd& cmd) -> caf::result<caf::message> {
        if (auto e = gone()) return *e;
        return lookup_users(self, cmd);
      },
      [self](const project_match_msg& msg) -> caf::result<caf::message> {
        auto& st = self->state;
        if (st.info.deleted) return caf::make_message(project_match{false, st.info});
        return match(self, msg);
      },
      live<project_invite_cmd>(
          self, [self](entity_id acting, const project_invite_cmd& cmd) { return invite(self, acting, cmd); }),
      // Not live<>: the invitee of an invitation that the deletion cancelled
      // is told so (I5), not that nothing is there.
      [self](entity_id acting, const answer_invitation_cmd& cmd) { return answer(self, acting, cmd); },
      live<grant_team_cmd>(
          self, [self](entity_id acting, const grant_team_cmd& cmd) { return grant_team(self, acting, cmd); }),
      live<project_set_level_cmd>(
          self, [self](entity_id acting, const project_set_level_cmd& cmd) { return set_level(self, acting, cmd); }),
      live<project_revoke_cmd>(
          self, [self](entity_id acting, const project_revoke_cmd& cmd) { return revoke(self, acting, cmd); }),
      live<project_owner_cmd>(
          self,
          [self](entity_id acting, const project_owner_cmd& cmd) { return transfer_ownership(self, acting, cmd); }),
      live<project_delete_cmd>(
          self, [self](entity_id acting, const project_delete_cmd&) { return delete_project(self, acting); }),
      live<project_show_cmd>(self, [self](entity_id acting, const project_show_cmd&) { return show(self, acting); }),
      live<project_collaborators_cmd>(
          self, [self](entity_id acting, const project_collaborators_cmd&) { return collaborators(self, acting); }),
      live<project_activity_cmd>(
          self, [self](entity_id acting, const project_activity_cmd& cmd) { return activity(self, acting, cmd); }),
      [self](const revoke_team_msg& msg) -> caf::result<caf::message> {
        auto& st = self->state;
        // T9: the team was deleted. Idempotent: the deletion may be resumed.
        for (auto& [team, revoked] : st.teams_being_granted) revoked |= team == msg.team;
        if (st.grants.erase_team(msg.team)) {
          change_effects fx;
          fx.batch.push_back({keys::project_team_grant(st.info.id, msg.team), std::nullopt});
          log_event(st, fx, no_entity, "revoked the grant of " + describe_team(msg.team) + ": the team was deleted");
          st.gate.persist(self, std::move(fx.batch), fx.high_id);
        }
        return reply_when_durable(self, st.gate, caf::unit);
      },
      [self](const bind_invitee_msg& msg) -> caf::result<caf::message> {
        auto& st = self->state;
        // U4: a user removed since registering is not handed invitations.
        auto invitee = st.rt->admit_change_about(msg.user);
        if (invitee.fact.removed) return reply_when_durable(self, st.gate, caf::unit);
        return persist_then_reply(self, st, st.invitations.bind_or_hand_over(*st.rt, msg), caf::unit);
      },
      [self](const user_gone_msg& msg) -> caf::result<caf::message> {
        auto& st = self->state;
        // U4: the user was removed from the platform. Idempotent.
        change_effects fx;
        if (st.grants.users().count(msg.user)) {
          erase_user_grant(st, fx, msg.user);
          log_event(st, fx, no_entity,
                    "revoked the grant of " + describe_user(st, msg.user) + ": removed from the platform");
        }
        st.invitations.cancel_pending(*st.rt, fx, no_entity, msg.user);
        if (fx.batch.empty()) return reply_when_durable(self, st.gate, caf::unit);
        return persist_then_reply(self, st, std::move(fx), caf::unit);
      },
      [self](const member_change_msg& change) {
        auto& st = self->state;
        take_member_change(st, change);
        return caf::unit;
      },
      [self](end_expired_atom) { end_expired_access(self); },
  };
}

// Fetches the members of each granted team, one after the other; `await`
// holds every other message back until the copies are complete.
void subscribe_teams(project_self* self, std::shared_ptr<std::vector<entity_id>> pending) {
  auto& st = self->state;
  if (pending->empty()) {
    st.teams_loaded = true;
    return;
  }
  auto team = pending->back();
  pending->pop_back();
  self->request(st.directory, internal_timeout, team_subscribe_msg{team, st.info.id, st.info.tenant})
      .await(
          [self, team, pending](member_set& set) {
            auto& st = self->state;
            project_grants::member_map copy;
            for (auto& m : set.members) copy[m.user] = member_copy{m.flags, m.expires};
            st.grants.put_members(team, std::move(copy));
            subscribe_teams(self, pending);
          },
          [self, team, pending](caf::error& e) {
            auto& st = self->state;
            // A team deleted since it was granted has no members; its
            // deletion, resumed if need be, revokes the grant (T9).
            if (to_failure(e).code == ErrorCode::not_found) {
              st.grants.put_members(team, {});
              return subscribe_teams(self, pending);
            }
            // Without the members, checks could wrongly deny: stop, and let
            // the next call activate this project again.
            self->quit(std::move(e));
          });
}

// The project actor. Class-based for one reason: its turns run under its
// check-index view's lock, so readers on other threads see its grants only
// between turns, and only when everything is durable (actors/published/check_index.hpp).
class project_actor final : public project_self {
 public:
  project_actor(caf::actor_config& cfg, runtime* rt, caf::actor directory, entity_id id,
                std::optional<project_info> created)
      : project_self(cfg),
        rt_(rt),
        directory_(std::move(directory)),
        id_(id),
        created_(std::move(created)),
        view_(rt->checks.view_of(id)) {}

  caf::behavior make_behavior() override {
    auto& st = state;
    st.rt = rt_;
    // Held by the state only, which CAF destroys when the actor ends: the
    // directory holds this actor too.
    st.directory = std::move(directory_);
    st.gate.bind(*rt_);
    // Its state turns readable for checks once a commit is durable: it
    // hears of each one, to publish it.
    if (view_) st.gate.notice_every_commit();
    st.invitations.belongs_to(target_kind::project, id_);
    auto owner = rt_->admit_change_about(created_ ? created_->owner : no_entity);
    if (created_ && owner.fact.removed) {
      // U4: the owner was removed after the directory let them act and
      // before this first turn: nothing is written, and the creation is
      // answered as refused (a removed user owns nothing).
      set_info(st, *created_);
      st.info.deleted = true;
      st.teams_loaded = true;
    } else if (created_) {
      set_info(st, *created_);
      change_effects fx;
      write_project(st, fx);
      fx.batch.push_back({keys::user_project(st.info.owner, id_), std::string()});
      log_event(st, fx, st.info.owner, "created the project");
      st.gate.persist(this, std::move(fx.batch), std::max(id_, fx.high_id));
      st.teams_loaded = true;
    } else {
      load(st, id_);
      schedule_expiry(this);
      auto teams = std::make_shared<std::vector<entity_id>>();
      for (auto& [team, g] : st.grants.teams()) teams->push_back(team);
      subscribe_teams(this, teams);
    }
    st.view = view_;
    if (view_) view_->attach(&st.grants, &st.schema, &st.info.deleted, st.info.tenant);
    // Checks answered from the view count as use: a project busy with them
    // stays, though none of them reached this actor.
    auto can_stop = [this] {
      // P9: a project waiting to end a grant stays, to end it at its instant.
      return !(view_ && view_->take_read()) && state.teams_loaded && state.gate.quiescent() &&
             state.member_changes_in_doubt.empty() && !state.expiry.pending();
    };
    return caf::behavior{main_handlers(this)
                             .or_else(commit_handlers(this, st.gate))
                             .or_else(reply_deadline_handlers(this, st.deadlines))
                             .or_else(passivation_handlers(this, can_stop))};
  }

  resume_result resume(caf::execution_unit* unit, size_t max_throughput) override {
    if (!view_) return project_self::resume(unit, max_throughput);
    std::unique_lock<std::shared_mutex> turn(view_->turn_lock());
    in_turn_ = true;
    auto result = project_self::resume(unit, max_throughput);
    in_turn_ = false;
    // Done: the state is gone (cleanup detached the view from it first).
    if (result != resumable::done) {
      settle_member_changes(state);
      view_->set_readable(state.teams_loaded && state.gate.idle() && state.member_changes_in_doubt.empty());
    }
    return result;
  }

  // CAF destroys the state here (on_exit): in a turn, or for an actor still
  // queued when the system shuts down, outside any. Readers must have let
  // go of it first.
  bool cleanup(caf::error&& reason, caf::execution_unit* host) override {
    if (view_) {
      std::unique_lock<std::shared_mutex> turn(view_->turn_lock(), std::defer_lock);
      if (!in_turn_) turn.lock();
      view_->detach();
    }
    return project_self::cleanup(std::move(reason), host);
  }

  // Every message sees the member changes whose commits turned durable
  // since: a caller told of a change asks after the writer settled it.
  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    if (!state.member_changes_in_doubt.empty()) settle_member_changes(state);
    return project_self::consume(x);
  }

 private:
  runtime* rt_;
  caf::actor directory_;  // until make_behavior hands it to the state
  entity_id id_;
  std::optional<project_info> created_;
  project_view* view_;
  bool in_turn_ = false;  // this actor's thread holds the view's turn lock
};

}  // namespace

caf::actor spawn_project_actor(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id id,
                               std::optional<project_info> created) {
  return self->spawn<project_actor>(rt, std::move(directory), id, std::move(created));
}

}  // namespace roster::actors
