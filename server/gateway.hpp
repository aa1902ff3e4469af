// The schema's interfaces, implemented on a KJ event loop. Translates each
// call into a message to the actor that owns it (or to the directory) and
// the reply back into a result; knows nothing of domain rules.
#pragma once

#include <kj/timer.h>

#include <chrono>
#include <string>
#include <vector>

#include "roster/schema/roster.capnp.h"
#include "server/service_token.hpp"

namespace roster::actors {
class runtime;
}

namespace roster::server {

class actor_bridge;
class call_observer;
class online_backup;

struct gateway_context {
  actor_bridge& bridge;
  // The service tokens accepted, with their scopes.
  std::vector<service_token> tokens;
  // Checks are answered here, on the RPC thread, from the actors' published
  // check index when it can (actors/published/check_index.hpp); else through `bridge`.
  // Calls go straight to the actor that owns them when it is active
  // (actors/directory/direct_route.hpp), else through the directory.
  actors::runtime& actors;
  online_backup& backups;
  // Calls one connection may have waiting in the actors; beyond, overloaded.
  std::size_t max_in_flight_per_connection;
  // Told of every call (rosterd's metrics); null when nobody watches.
  call_observer* observer;
  // C7: how long a read waits for a revision the server has not reached.
  kj::Timer& timer;
  std::chrono::milliseconds revision_wait;
};

// The capability a new connection starts from; one per connection.
kj::Own<wire::Bootstrap::Server> make_bootstrap(gateway_context& context);

}  // namespace roster::server
