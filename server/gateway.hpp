// The schema's interfaces, implemented on a KJ event loop. Translates each
// call into a message to the directory and the reply back into a result;
// knows nothing of domain rules.
#pragma once

#include <string>
#include <vector>

#include "roster/schema/roster.capnp.h"

namespace roster::actors {
class runtime;
}

namespace roster::server {

class actor_bridge;

struct gateway_context {
  actor_bridge& bridge;
  // Service tokens with admin scope.
  std::vector<std::string> tokens;
  // Checks are answered here, on the RPC thread, from the actors' published
  // check index when it can (actors/check_index.hpp); else through `bridge`.
  const actors::runtime& actors;
};

kj::Own<wire::Bootstrap::Server> make_bootstrap(gateway_context& context);

// Constant-time comparison: how long it takes says nothing of where a wrong
// token first differs.
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace roster::server
