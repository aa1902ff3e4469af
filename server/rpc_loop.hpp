// One KJ event loop serving RPC (DESIGN "Threads": connections are spread
// across loops): its bridge to the actors, the gateway over that bridge and
// the connections it was handed. rpc_thread runs one on a thread of its own.
#pragma once

#include <kj/async-io.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/server_config.hpp"
#include "server/service_token.hpp"

namespace roster::server {

struct shared_limits;
class call_observer;
class server_core;

class rpc_loop {
 public:
  // `observer`, when not null, is told of every call and connection.
  rpc_loop(kj::AsyncIoContext& io, const server_config& cfg, server_core& core,
           const std::vector<service_token>& tokens, shared_limits& limits, call_observer* observer = nullptr);
  ~rpc_loop();

  // Serves `connection` on this loop until the peer goes away.
  void serve(kj::Own<kj::AsyncIoStream> connection);

  // Runs the loop, serving, until `stop` resolves.
  void run_until(kj::Promise<void> stop);

  // Waits, running the loop, until no call is in flight or `give_up`.
  // Returns how many calls were still in flight.
  std::size_t finish_calls(std::chrono::steady_clock::time_point give_up);

  kj::AsyncIoContext& io() { return io_; }

 private:
  struct parts;
  kj::AsyncIoContext& io_;
  std::unique_ptr<parts> parts_;
};

class rpc_thread {
 public:
  // Starts the thread and returns once its loop serves.
  rpc_thread(const server_config& cfg, server_core& core, const std::vector<service_token>& tokens,
             shared_limits& limits, call_observer* observer = nullptr);
  // Stops serving; the calls in flight get until `give_up` to finish.
  // No hand_over() after this.
  void stop(std::chrono::steady_clock::time_point give_up);
  // Stops at once if not stopped yet, and waits for the thread.
  ~rpc_thread();

  // Moves `connection` (accepted on the calling thread's loop) to this one.
  // The promise belongs to the calling thread; keep it until it resolves.
  kj::Promise<void> hand_over(kj::Own<kj::AsyncIoStream> connection);

 private:
  struct shared;
  std::shared_ptr<shared> shared_;
  std::thread thread_;
};

}  // namespace roster::server
