// Where the KJ event loop meets CAF's scheduler (DESIGN "Threads").
//
// Each RPC loop has its own bridge. Requests leave the KJ thread as ordinary CAF requests whose sender is an
// actor_companion. Its replies, enqueued from CAF worker threads, land in a
// completion queue; the first reply of a batch writes an eventfd, and the KJ
// loop drains the whole batch on one wake-up. Every request carries a
// timeout, enforced on the KJ side.
#pragma once

#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/debug.h>
#include <kj/time.h>
#include <caf/actor_companion.hpp>
#include <caf/all.hpp>

#include <absl/container/flat_hash_map.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "actors/published/actor_registry.hpp"
#include "server/call_budget.hpp"

namespace roster::server {

class actor_bridge {
 public:
  // A call waits only with a place in `budget` (shared by every loop's
  // bridge); without one ask() answers `overloaded` at once.
  actor_bridge(caf::actor_system& system, caf::actor directory, kj::UnixEventPort& events, kj::Timer& timer,
               std::chrono::milliseconds timeout, call_budget& budget);
  ~actor_bridge();

  actor_bridge(const actor_bridge&) = delete;
  actor_bridge& operator=(const actor_bridge&) = delete;

  // Sends `content` to the directory. Resolves with the reply, which holds
  // either the answer or one caf::error (a timeout becomes
  // sec::request_timeout). Call on the KJ thread only.
  kj::Promise<caf::message> ask(caf::message content);

  // As ask(), to the active actor of `kind` `id` directly when the registry
  // has one; nullptr, having sent nothing, when it has none.
  kj::Maybe<kj::Promise<caf::message>> ask_if_active(const actors::actor_registry& registry, char kind,
                                                     actors::entity_id id, caf::message content);

  std::size_t in_flight() const { return waiting_.size(); }

 private:
  // The reply a call gets at once when the budget has no place left.
  static kj::Promise<caf::message> overloaded();
  // Waits for the reply to request `mid`, up to the timeout.
  kj::Promise<caf::message> await_reply(caf::message_id mid);
  kj::Promise<void> drain_forever();
  void drain();

  caf::actor_system& system_;
  caf::actor directory_;
  caf::actor companion_handle_;
  caf::actor_companion* companion_;
  kj::Timer& timer_;
  std::chrono::milliseconds timeout_;
  call_budget& budget_;

  kj::AutoCloseFd wake_fd_;  // declared before wake_observer_: closed after it
  kj::UnixEventPort::FdObserver wake_observer_;

  std::mutex completed_mutex_;
  std::vector<caf::mailbox_element_ptr> completed_;  // guarded by completed_mutex_

  // KJ thread only: request id -> who waits for the reply.
  absl::flat_hash_map<std::uint64_t, kj::Own<kj::PromiseFulfiller<caf::message>>> waiting_;
  kj::Promise<void> drain_task_;
};

}  // namespace roster::server
