// Redis and PostgreSQL driven through the same two-call loop as Roster's
// invite_accept: an invitation, then its acceptance on the id it returned,
// each a separate durable call that validates as Roster does (the invitee
// is not a member and has no pending invitation to the team; the
// invitation exists, is pending and is the caller's). Each connection keeps
// `in_flight` operations going, pipelined; answers come in the order asked.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bench_options.hpp"
#include "latency.hpp"

namespace roster::bench {

// One connection to a peer store; calls are answered in the order sent.
class peer_connection {
 public:
  virtual ~peer_connection() = default;
  virtual void send_invite(std::uint64_t team, std::uint64_t user) = 0;
  virtual void send_accept(std::int64_t invitation, std::uint64_t user) = 0;
  // The answer to the oldest call not answered yet: an invite's invitation
  // id, or the refusal's text in `error` (empty when it succeeded).
  struct answer {
    std::int64_t value = 0;
    std::string error;
  };
  virtual answer next_answer() = 0;
};

// The peer's data set for `users` (users/10 teams of 10 members, as in
// bench/baselines/) and connections to it; exits on a failure.
struct peer_store {
  std::function<void(unsigned users)> load;
  std::function<std::unique_ptr<peer_connection>()> connect;
};
peer_store redis_store(const std::string& address);      // HOST:PORT
peer_store postgres_store(const std::string& conninfo);  // a libpq connection string

// The data set's memberships, shared by the peers: team t (1-based) holds
// users (t * 7919 + k * 104729) mod N + 1 for k in 0..9, as the baselines load.
inline std::uint64_t peer_member(std::uint64_t team, unsigned k, unsigned users) {
  return (team * 7919 + k * 104729ULL) % users + 1;
}

// Ends the run: with a peer failing, no figure would mean anything.
[[noreturn]] void peer_failed(const char* store, const std::string& what);

// Frees what a C client library allocated, as a std::unique_ptr deleter.
template <auto free_fn>
struct c_free {
  template <class T>
  void operator()(T* p) const {
    free_fn(p);
  }
};

measurement run_peer_invite_accept(const options& opt, const peer_store& store, unsigned in_flight);

}  // namespace roster::bench
