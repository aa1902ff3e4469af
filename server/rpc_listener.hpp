// rpc_listener: serves Cap'n Proto RPC on each connection it is given, over
// a framed_stream (buffered reads, coalesced writes, checked frames) and
// with explicit reader limits, instead of TwoPartyServer's defaults; over
// TLS when given a tls_server.
#pragma once

#include <capnp/capability.h>
#include <kj/async-io.h>

#include <cstddef>
#include <functional>

namespace roster::server {

class tls_server;

class rpc_listener final : private kj::TaskSet::ErrorHandler {
 public:
  // Each connection is served `bootstrap()`, made for it. `tls`, when not
  // null, outlives the listener.
  using bootstrap_factory = std::function<capnp::Capability::Client()>;
  explicit rpc_listener(bootstrap_factory bootstrap, tls_server* tls = nullptr);
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
  std::size_t connections_ = 0;
  kj::TaskSet tasks_;
};

}  // namespace roster::server
