// Mirrors committed inbox records into the user actors that hold them in
// memory, through the directory (which activates a user on demand).
#pragma once

#include <functional>
#include <vector>

#include "actors/messages.hpp"

namespace roster::actors {

inline constexpr auto internal_timeout = std::chrono::seconds(10);

// One pending delivery: to `user`, these invitations and notifications.
struct inbox_delivery {
  entity_id user = no_entity;
  inbox_update_msg update;
};

// Sends every delivery and calls `done` once all answered (or failed: a user
// actor that missed one reloads it from storage on activation).
void deliver_to_inboxes(caf::event_based_actor* self, const caf::actor& directory,
                        std::vector<inbox_delivery> deliveries, std::function<void()> done);

// Waits for every request made by `send` (one per element) and then calls
// `done`. Errors are tolerated: the receivers rebuild from storage.
void await_all(caf::event_based_actor* self, std::size_t count,
               const std::function<void(std::size_t i, std::function<void()> answered)>& send,
               std::function<void()> done);

}  // namespace roster::actors
