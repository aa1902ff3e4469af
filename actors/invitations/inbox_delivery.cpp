#include "actors/invitations/inbox_delivery.hpp"

#include <memory>

#include "actors/published/actor_registry.hpp"

namespace roster::actors {

void await_all(caf::event_based_actor*, std::size_t count,
               const std::function<void(std::size_t, std::function<void()>)>& send, std::function<void()> done) {
  if (count == 0) {
    done();
    return;
  }
  auto remaining = std::make_shared<std::size_t>(count);
  auto finish = std::make_shared<std::function<void()>>(std::move(done));
  for (std::size_t i = 0; i < count; ++i)
    send(i, [remaining, finish] {
      if (--*remaining == 0) (*finish)();
    });
}

void deliver_to_inboxes(runtime& rt, const caf::actor& directory, std::vector<inbox_delivery> deliveries) {
  // Anonymous: the user actor's answer would come back as an ordinary
  // message that no one waits for.
  for (auto& d : deliveries) {
    auto direct = rt.registry().send_to(
        'U', d.user, [&](const caf::actor& user) { caf::anon_send(user, d.user, std::move(d.update)); });
    if (!direct) caf::anon_send(directory, d.user, std::move(d.update));
  }
}

}  // namespace roster::actors
