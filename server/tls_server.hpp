// TLS on rosterd's listener (--tls-cert, --tls-key): each accepted
// connection completes a TLS handshake before it speaks Cap'n Proto. One per
// RPC loop, since a KJ TLS context belongs to its thread's timer.
#pragma once

#include <kj/async-io.h>

#include <memory>
#include <string>

namespace roster::server {

class tls_server {
 public:
  // Reads the PEM certificate chain and private key; throws
  // std::runtime_error naming the file when either is missing or invalid.
  tls_server(const std::string& certificate_file, const std::string& key_file, kj::Timer& timer);
  ~tls_server();

  // The connection once its handshake succeeded; broken when the handshake
  // fails or does not finish within ten seconds.
  kj::Promise<kj::Own<kj::AsyncIoStream>> wrap(kj::Own<kj::AsyncIoStream> connection);

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace roster::server
