#include "server/rpc_listener.hpp"

#include <capnp/rpc-twoparty.h>
#include <kj/debug.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <iostream>

#include "schema/framed_stream.hpp"
#include "server/call_budget.hpp"
#include "server/call_observer.hpp"
#include "server/tls_server.hpp"

namespace roster::server {
namespace {

// Tighter than Cap'n Proto's defaults (64 MiB, 64 levels): the largest
// request we accept, a bulk call at its documented maximum, is far below.
capnp::ReaderOptions reader_limits() {
  capnp::ReaderOptions options;
  options.traversalLimitInWords = frame_limits{}.max_frame_words;
  options.nestingLimit = 32;
  return options;
}

}  // namespace

// Declared in the order they must be built; destroyed in reverse, so the
// RPC system goes before the network and the network before the socket.
struct rpc_listener::connection {
  connection(kj::Own<kj::AsyncIoStream> socket_, capnp::Capability::Client bootstrap, frame_observer* observer)
      : socket(kj::mv(socket_)),
        frames(*socket, frame_limits{}, observer),
        network(frames, capnp::rpc::twoparty::Side::SERVER, reader_limits()),
        rpc(capnp::makeRpcServer(network, kj::mv(bootstrap))) {}

  kj::Own<kj::AsyncIoStream> socket;
  framed_stream frames;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
};

rpc_listener::rpc_listener(bootstrap_factory bootstrap, tls_server* tls, call_budget* open_connections,
                           frame_observer* frames, call_observer* observer)
    : bootstrap_(kj::mv(bootstrap)),
      tls_(tls),
      open_connections_(open_connections),
      frames_(frames),
      observer_(observer),
      tasks_(*this) {}

rpc_listener::~rpc_listener() = default;

void rpc_listener::accept(kj::Own<kj::AsyncIoStream> socket) {
  if (open_connections_) {
    if (!open_connections_->try_take()) {
      // Closed unread: at most one line a minute says so.
      auto now = std::chrono::steady_clock::now();
      if (now - last_refusal_logged_ > std::chrono::minutes(1)) {
        last_refusal_logged_ = now;
        std::cerr << "rosterd: at the connection limit (--max-connections): new connections are closed" << std::endl;
      }
      return;
    }
    // The place is given back when the socket goes, however the connection ends.
    socket = socket.attach(kj::defer([budget = open_connections_]() { budget->give_back(); }));
  }
  // Small replies must leave at once, not wait for Nagle's timer.
  int one = 1;
  // An in-process pipe has no such option: its failure is ignored.
  (void)kj::runCatchingExceptions([&]() { socket->setsockopt(IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); });
  if (tls_ == nullptr) return serve(kj::mv(socket));
  tasks_.add(tls_->wrap(kj::mv(socket)).then([this](kj::Own<kj::AsyncIoStream>&& secured) { serve(kj::mv(secured)); }));
}

void rpc_listener::serve(kj::Own<kj::AsyncIoStream> socket) {
  auto state = kj::heap<connection>(kj::mv(socket), bootstrap_(), frames_);
  ++connections_;
  if (observer_) observer_->connection_opened();
  auto done = state->network.onDisconnect();
  tasks_.add(done.attach(kj::mv(state), kj::defer([this]() {
                           --connections_;
                           if (observer_) observer_->connection_closed();
                         })));
}

void rpc_listener::taskFailed(kj::Exception&& exception) {
  // One connection's failure (a malformed frame, a reset, a failed TLS
  // handshake) ends only it.
  KJ_LOG(INFO, "connection ended", exception);
}

}  // namespace roster::server
