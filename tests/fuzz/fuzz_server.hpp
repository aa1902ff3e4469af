// The whole server in the fuzzer's process — store, actors, one RPC loop —
// with connections to it over socket pairs, so that a fuzz input reaches
// exactly the code a remote peer reaches. Built once per process.
#pragma once

#include <capnp/any.h>
#include <capnp/capability.h>
#include <kj/async-io.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace roster::fuzz {

// The token the fuzzers authenticate with (an admin token).
inline const std::string admin_token = "fuzz-admin-token-0123456789";

class fuzz_server {
 public:
  static fuzz_server& instance();

  kj::AsyncIoContext& io();
  kj::Timer& timer();

  // Opens a new connection to the server and returns the peer's end.
  kj::Own<kj::AsyncIoStream> connect();

  // Writes `bytes` to a new connection, closes its sending side and reads
  // what the server answers until it hangs up (or a second passes).
  void feed_raw(const std::uint8_t* bytes, std::size_t size);

  // A Cap'n Proto client over a connection of its own, authenticated:
  // the Service, and a Session acting as the service. Rebuilt when broken.
  capnp::Capability::Client bootstrap();
  capnp::Capability::Client service();
  capnp::Capability::Client session();
  void drop_client();  // after a call broke the connection

  // Users alice (1), bob (2) and carol (3); alice's team and project, an
  // invitation of bob to each: ids the fuzzed calls can hit.
  void populate();

 private:
  fuzz_server();
  struct state;
  state* state_;  // lives until the process exits: libFuzzer never returns
};

}  // namespace roster::fuzz
