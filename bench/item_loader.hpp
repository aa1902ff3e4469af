// Loading many independent items (a user, a team with its members, a
// project with its grants), each a chain of asynchronous calls, with many
// items in flight on a few connections: what a backend importing its data
// would do. One thread driving hundreds of calls costs the loader a small
// share of the CPU that a thread per blocking call did, and gives the
// server many changes to gather into each commit.
#pragma once

#include <functional>
#include <string>

#include "bench_options.hpp"
#include "roster/client.hpp"

namespace roster::bench {

// Starts item `item` on `client`; the chain calls `finished` once, at its
// end, on the client's thread.
using item_chain = std::function<void(Client& client, unsigned item, std::function<void()> finished)>;

// Runs items 0 .. count-1 across the loader's threads and connections, and
// answers how long that took, in seconds.
double load_items(const options& opt, const std::string& token, unsigned count, const item_chain& chain);

}  // namespace roster::bench
