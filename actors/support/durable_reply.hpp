// Replies that must not reveal changes before they are durable (SPEC C6).
#pragma once

#include <type_traits>

#include "actors/messages.hpp"
#include "actors/support/commit_gate.hpp"

namespace roster::actors {

// Whom a request is answered to, for answering it from another thread (the
// storage writer's) without a response promise: enqueueing a message is
// thread-safe, a promise's delivery reads its actor's execution context.
struct answer_address {
  caf::strong_actor_ptr to;
  caf::message_id id;

  // Empty when `rp` cannot be answered so: it answers through forwarding
  // stages, or answers no request.
  static answer_address of(const caf::response_promise& rp) {
    if (!rp.source() || !rp.stages().empty() || rp.async()) return {};
    return {rp.source(), rp.id()};
  }
  explicit operator bool() const { return to != nullptr; }
  void send(caf::message content) const { to->enqueue(nullptr, id.response_id(), std::move(content), nullptr); }
};

// Answers `value` now when nothing is pending, else once everything this
// actor queued so far is durable.
template <class T>
caf::result<caf::message> reply_when_durable(caf::event_based_actor* self, commit_gate& gate, T value) {
  // A unit answers as the empty message, as a promise delivers it: a
  // requester's `then([]() {...})` matches either way.
  if constexpr (std::is_same_v<T, caf::unit_t>) {
    if (gate.idle()) return caf::message{};
  } else {
    if (gate.idle()) return caf::make_message(std::move(value));
  }
  auto rp = self->make_response_promise();
  gate.after_durable([rp, value = std::move(value)](const failure* error) mutable {
    if (error) return rp.deliver(to_error(*error));
    rp.deliver(std::move(value));
  });
  return rp;
}

// The handlers every persisting actor needs for the storage writer's answers.
// After a failed commit an actor whose memory now differs from storage stops
// (`quit_on_failure`) and is activated again from storage on next use.
inline caf::message_handler commit_handlers(caf::event_based_actor* self, commit_gate& gate,
                                            bool quit_on_failure = true) {
  return {
      [&gate](committed_atom, std::uint64_t) { gate.on_committed(); },
      [self, &gate, quit_on_failure](commit_failed_atom, std::uint64_t seq, const std::string& why) {
        gate.on_failed(seq, why);
        if (quit_on_failure) self->quit(caf::exit_reason::user_shutdown);
      },
  };
}

}  // namespace roster::actors
