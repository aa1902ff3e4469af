// C8: one watch. Reads the change window after a revision and calls the
// client's Watcher with what changed, one call at a time: the next call
// waits for the previous one's return, so a slow watcher holds its own
// feed back and nothing is buffered for it beyond one call. Runs on the RPC
// loop; includes the generated header: include only from server/*.cpp.
#pragma once

#include <kj/async.h>
#include <kj/timer.h>

#include <memory>

#include "actors/support/domain.hpp"
#include "roster/schema/roster.capnp.h"
#include "storage/port.hpp"

namespace roster::server {

// Follows `reader` until the window passes it or it cannot read on, and
// resolves with why; rejects when a call to `watcher` fails (the client
// went away). Dropping the promise stops it.
kj::Promise<actors::failure> follow_changes(std::unique_ptr<storage::change_reader> reader,
                                            wire::Watcher::Client watcher, kj::Timer& timer);

}  // namespace roster::server
