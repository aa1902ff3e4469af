// Serves Cap'n Proto RPC for a server_core on the calling thread's KJ event
// loop until `stop` resolves, then stops accepting and lets the calls in
// flight finish (bounded by the configured grace period).
#pragma once

#include <kj/async-io.h>

#include <functional>
#include <string>
#include <vector>

#include "server/server_config.hpp"
#include "server/service_token.hpp"

namespace roster::server {

class call_observer;
class server_core;

// `listening` is told the address actually bound ("HOST:PORT"; with port 0
// the kernel picks one) once calls are accepted. `observer`, when not null,
// is told of every call and connection.
void serve_rpc(kj::AsyncIoContext& io, const server_config& cfg, server_core& core,
               const std::vector<service_token>& tokens, kj::Promise<void> stop,
               const std::function<void(const std::string& address)>& listening, call_observer* observer = nullptr);

}  // namespace roster::server
