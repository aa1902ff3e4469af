// The invitations of one target — a team or a project — and the lifecycle
// rules of SPEC I1-I6 that do not depend on what the invitee joins: status,
// expiry, one pending invitation per invitee, and what each step writes and
// whom it tells. The owning actor adds what joining means.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/domain.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/runtime.hpp"
#include "actors/support/storage_port.hpp"

namespace roster::actors {

// What a change writes, and the inbox mirrors to deliver once it is durable.
struct change_effects {
  write_batch batch;
  std::vector<inbox_delivery> deliveries;
  entity_id high_id = no_entity;  // the largest id the change reveals
};

// Appends `more` to `fx`.
void merge(change_effects& fx, change_effects more);

// I9: a notification for `user` (none for the service), written with the
// change and mirrored into the user's inbox after it.
void add_notification(runtime& rt, change_effects& fx, entity_id user, notification_kind kind, entity_id subject,
                      entity_id invitation_id, entity_id acting);

// T5, P5, U5: whom an invitation names — a registered, active user (with
// their e-mail), or only an e-mail address that no user has yet.
struct invitee_target {
  entity_id user = no_entity;
  std::string email;
  std::string username;               // empty for an address
  entity_id tenant = default_tenant;  // a registered user's (N1)
  bool named_by_email = false;        // the caller gave an address (N2, N3)
  // U4: held until the invitation is submitted to storage.
  platform_facts::change_in_flight in_flight;
};

// Resolves a username or an e-mail address; not_found for an unknown user,
// user_removed for a removed one, invalid_argument for a malformed address.
caf::expected<invitee_target> resolve_invitee(runtime& rt, const std::string& text);

// The book keeps in memory the invitations that can still change — pending
// at activation, or touched since — and leaves settled ones (accepted,
// rejected, cancelled, expired) in storage until someone asks for them: a
// team or project that invited many holds its few open invitations, not its
// history, and an active project with its teams costs less to keep.
class invitation_book {
 public:
  // Whose invitations these are: where their records live in storage.
  void belongs_to(target_kind kind, entity_id target);

  // An invitation read at activation: kept if it is pending at `now`.
  void add_loaded(invitation inv, millis now);

  // The invitation `id` of this target, from memory or else from storage
  // (and kept in memory from then on); nullptr when this target has none.
  invitation* find(runtime& rt, entity_id id);

  // Every invitation of this target, settled ones included, by id.
  std::map<entity_id, invitation> all(runtime& rt) const;

  // T5: at most one pending invitation per (target, invitee), whether it
  // names the invitee or their e-mail address.
  bool has_pending(const invitee_target& invitee, millis now) const;

  // U5: an invitation sent to `user`'s e-mail address before they signed up
  // becomes theirs. Empty effects when it is not one of those.
  change_effects bind(runtime& rt, entity_id invitation_id, entity_id user, const std::string& email);

  // U5: an invitation still waiting when its address signed up becomes the
  // user's as bind does, leaves the waiting list, enters their inbox and
  // notifies them. Empty effects when it is not waiting for `email`.
  change_effects hand_over(runtime& rt, entity_id invitation_id, entity_id user, const std::string& email);

  // Answers a bind_invitee_msg: bind, or hand_over when the message asks.
  change_effects bind_or_hand_over(runtime& rt, const bind_invitee_msg& msg);

  // U5: before `acting` answers `inv`, binds it to them if it was sent to
  // their address.
  void bind_if_addressed_to(runtime& rt, invitation& inv, entity_id acting);

  // I1: records `offer` (kind, target, inviter, invitee and access filled,
  // and the names for people that the owner knows)
  // as a new pending invitation, puts it in the invitee's inbox and notifies
  // them — or, for an address no user has yet (U5), leaves it waiting. Returns the effects; the new invitation's id is
  // offer id.
  change_effects open(runtime& rt, invitation& offer);

  // I5: why `acting` may not give `answer` to `inv`, if they may not. Whoever
  // is not party to it learns nothing of it (not_found); the invitee accepts
  // and rejects, the inviter and whoever `manages` the target cancel and
  // remind (`managers` names those in the refusal: "the team's managers").
  static std::optional<failure> refuse_answer(const invitation& inv, entity_id acting, answer_kind answer, bool manages,
                                              const std::string& managers);

  // I2, I5, I6: why `inv` cannot be answered at `now`, if it cannot.
  static std::optional<failure> not_answerable(const invitation& inv, millis now);

  // I3-I5: sets the status `answer` leads to, notifies the other party and
  // mirrors the new status into the invitee's inbox.
  change_effects answer(runtime& rt, invitation& inv, answer_kind answer, entity_id acting);

  // I7: one more reminder — a new notification, the expiry pushed out —
  // unless the last one is less than an hour old (too_soon). Precondition:
  // `inv` is answerable.
  std::optional<failure> remind(runtime& rt, invitation& inv, entity_id acting, change_effects* fx);

  // Cancels every pending invitation (to `invitee` only, unless no_entity),
  // adding what that writes and tells to `fx`.
  void cancel_pending(runtime& rt, change_effects& fx, entity_id acting, entity_id invitee = no_entity);

 private:
  // Files `inv` (already in by_id_) under its invitee and address.
  void index(const invitation& inv);

  target_kind kind_ = target_kind::team;
  entity_id target_ = no_entity;
  std::map<entity_id, invitation> by_id_;
  // The invitations in memory by the user they name and by the address they
  // were sent to: T5's duplicate check and an invitee's cancellation look at
  // that invitee's few invitations, not at the whole book of a team that
  // may have invited 100,000 people. Every pending invitation is in memory.
  std::unordered_multimap<entity_id, entity_id> by_invitee_;
  std::unordered_multimap<std::string, entity_id> by_address_;
};

// Work that runs once a change is durable and before its answer: it calls
// `next` when done, or `fail` with why it stopped, so the caller hears at
// once instead of waiting for its own timeout.
using before_reply = std::function<void(std::function<void()> next, std::function<void(caf::error)> fail)>;

// U5: run before answering an invitation sent to an address. If the address
// signed up while the invitation was being written, after its registration
// read the waiting list, `self` hands the invitation over first. With
// the registration's second reading (directory_actor.cpp), one of the two
// sees the other, whichever order the writes took.
before_reply hand_over_if_registered(caf::event_based_actor* self, runtime& rt, entity_id invitation,
                                     std::string email);

// Persists `fx`; once it is durable runs `before` (a team pushes member
// changes there), delivers the inbox mirrors, and answers `value`. `st` is
// the actor's state: its gate and directory.
//
// Without `before`, and with nothing earlier waiting in the gate, the actor
// has nothing left to do once the change is durable: the mirrors go out now,
// shown by their users once the commit is durable, and the storage writer
// answers. A call then passes three threads: the caller's, the actor's and
// the writer's.
//
// `ticket`, when given, was handed out with messages already sent (a team's
// member changes): it is settled with the commit's outcome before the
// answer leaves, whichever way the answer goes.
template <class State, class T>
caf::result<caf::message> persist_then_reply(caf::event_based_actor* self, State& st, change_effects fx, T value,
                                             before_reply before = nullptr,
                                             std::shared_ptr<commit_ticket> ticket = nullptr) {
  auto& gate = st.gate;
  auto rp = self->make_response_promise();
  if (auto address = answer_address::of(rp); address && !before && gate.direct_release_allowed()) {
    caf::message answer;  // a unit answers as the empty message, as a promise delivers it
    if constexpr (!std::is_same_v<T, caf::unit_t>) answer = caf::make_message(std::move(value));
    if (!ticket) ticket = std::make_shared<commit_ticket>();
    for (auto& delivery : fx.deliveries) delivery.update.committed = ticket;
    // Sent before the answer can be: they stand ahead of any request the
    // answer leads to (inbox_delivery.hpp).
    deliver_to_inboxes(*st.rt, st.directory, std::move(fx.deliveries));
    gate.persist(self, std::move(fx.batch), fx.high_id,
                 [address, ticket, answer = std::move(answer)](const failure* error) mutable {
                   ticket->settle(error == nullptr);
                   address.send(error ? caf::make_message(to_error(*error)) : std::move(answer));
                 });
    return rp;
  }
  gate.persist(self, std::move(fx.batch), fx.high_id);
  gate.after_durable([rt = st.rt, directory = st.directory, rp, deliveries = std::move(fx.deliveries),
                      value = std::move(value), before = std::move(before), ticket = std::move(ticket),
                      busy = gate.hold()](const failure* error) mutable {
    if (ticket) ticket->settle(error == nullptr);
    if (error) return rp.deliver(to_error(*error));
    auto deliver_and_reply = [rt, directory, rp, deliveries, value, busy]() mutable {
      deliver_to_inboxes(*rt, directory, std::move(deliveries));
      rp.deliver(value);
    };
    if (before)
      before(deliver_and_reply, [rp, busy](caf::error why) mutable { rp.deliver(std::move(why)); });
    else
      deliver_and_reply();
  });
  return rp;
}

}  // namespace roster::actors
