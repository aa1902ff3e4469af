// rpc_listener: serves Cap'n Proto RPC on each connection it is given, over
// a framed_stream (buffered reads, coalesced writes, checked frames) and
// with explicit reader limits, instead of TwoPartyServer's defaults.
#pragma once

#include <capnp/capability.h>
#include <kj/async-io.h>

#include <cstddef>

namespace roster::server {

class rpc_listener final : private kj::TaskSet::ErrorHandler {
 public:
  explicit rpc_listener(capnp::Capability::Client bootstrap);
  ~rpc_listener();

  // Serves one connection until the peer goes away.
  void accept(kj::Own<kj::AsyncIoStream> connection);

  std::size_t connections() const { return connections_; }

 private:
  struct connection;
  void taskFailed(kj::Exception&& exception) override;

  capnp::Capability::Client bootstrap_;
  std::size_t connections_ = 0;
  kj::TaskSet tasks_;
};

}  // namespace roster::server
