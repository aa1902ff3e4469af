// Mirrors committed inbox records into the user actors that hold them in
// memory, through the directory (which activates a user on demand).
#pragma once

#include <functional>
#include <vector>

#include "actors/messages.hpp"
#include "actors/support/reply_deadlines.hpp"
#include "actors/support/runtime.hpp"

namespace roster::actors {

inline constexpr auto internal_timeout = std::chrono::seconds(10);

// One pending delivery: to `user`, these invitations and notifications.
struct inbox_delivery {
  entity_id user = no_entity;
  inbox_update_msg update;
};

// Sends every delivery, without waiting: either the change is durable
// already, or the deliveries carry its commit ticket and their users show
// them once it is (persist_then_reply). An active user actor gets it
// directly, another through the directory, which activates it. The invitee
// still reads their own write: the delivery is in the user actor's mailbox,
// or in the directory's ahead of anything for that user that comes after
// it, before the answer goes out, and every request the answer leads to
// comes after it (passivation.hpp keeps that order while an actor stops).
// A user actor that never got one (it stopped, or was not active) loads it
// from storage when next activated.
void deliver_to_inboxes(runtime& rt, const caf::actor& directory, std::vector<inbox_delivery> deliveries);

// Waits for every request made by `send` (one per element) and then calls
// `done`. Errors are tolerated: the receivers rebuild from storage.
void await_all(caf::event_based_actor* self, std::size_t count,
               const std::function<void(std::size_t i, std::function<void()> answered)>& send,
               std::function<void()> done);

// Sends `xs` to `to` as a request without a CAF timeout of its own; `then`
// runs once: on the answer, on an error, or when `deadlines` gives up.
template <class... Ts>
void request_with_deadline(caf::event_based_actor* self, reply_deadlines& deadlines, const caf::actor& to,
                           std::function<void()> then, Ts&&... xs) {
  auto wait = deadlines.open(self, std::move(then));
  self->request(to, caf::infinite, std::forward<Ts>(xs)...)
      .then([wait]() { wait->settle(); }, [wait](caf::error&) { wait->settle(); });
}

// The handler an actor using request_with_deadline adds to its behavior.
inline caf::message_handler reply_deadline_handlers(caf::event_based_actor* self, reply_deadlines& deadlines) {
  return {[self, &deadlines](expire_waits_atom) { deadlines.on_timer(self); }};
}

}  // namespace roster::actors
