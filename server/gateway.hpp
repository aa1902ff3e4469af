// The schema's interfaces, implemented on a KJ event loop. Translates each
// call into a message to the directory and the reply back into a result;
// knows nothing of domain rules.
#pragma once

#include <string>
#include <vector>

#include "roster/schema/roster.capnp.h"

namespace roster::server {

class actor_bridge;

struct gateway_context {
  actor_bridge& bridge;
  // Service tokens with admin scope.
  std::vector<std::string> tokens;
};

kj::Own<wire::Bootstrap::Server> make_bootstrap(gateway_context& context);

// Constant-time comparison: how long it takes says nothing of where a wrong
// token first differs.
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace roster::server
