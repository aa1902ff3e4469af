// rpc_listener: serves Cap'n Proto RPC on each connection it is given, over
// a framed_stream (buffered reads, coalesced writes, checked frames) and
// with explicit reader limits, instead of TwoPartyServer's defaults; over
// TLS when given a tls_server.
#pragma once

#include <capnp/capability.h>
#include <kj/async-io.h>

#include <chrono>
#include <cstddef>
#include <functional>

namespace roster {
class frame_observer;
}

namespace roster::server {

class call_budget;
class call_observer;
class tls_server;

class rpc_listener final : private kj::TaskSet::ErrorHandler {
 public:
  // Each connection is served `bootstrap()`, made for it. `tls`, when not
  // null, outlives the listener; so does `open_connections`, when not null:
  // each connection holds a place in it while open, and one that finds no
  // place is closed at once.
  using bootstrap_factory = std::function<capnp::Capability::Client()>;
  // `frames`, when not null, is told of every frame read; `observer` of
  // every connection served.
  explicit rpc_listener(bootstrap_factory bootstrap, tls_server* tls = nullptr, call_budget* open_connections = nullptr,
                        frame_observer* frames = nullptr, call_observer* observer = nullptr);
  ~rpc_listener();

  // Serves one connection until the peer goes away (after its TLS
  // handshake, with TLS).
  void accept(kj::Own<kj::AsyncIoStream> connection);

  std::size_t connections() const { return connections_; }

 private:
  struct connection;
  void serve(kj::Own<kj::AsyncIoStream> connection);
  void taskFailed(kj::Exception&& exception) override;

  bootstrap_factory bootstrap_;
  tls_server* tls_;
  call_budget* open_connections_;
  frame_observer* frames_;
  call_observer* observer_;
  std::size_t connections_ = 0;
  std::chrono::steady_clock::time_point last_refusal_logged_{};
  kj::TaskSet tasks_;
};

}  // namespace roster::server
