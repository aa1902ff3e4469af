#include "actors/inbox_delivery.hpp"

#include <memory>

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

void deliver_to_inboxes(caf::event_based_actor* self, reply_deadlines& deadlines, const caf::actor& directory,
                        std::vector<inbox_delivery> deliveries, std::function<void()> done) {
  auto shared = std::make_shared<std::vector<inbox_delivery>>(std::move(deliveries));
  await_all(
      self, shared->size(),
      [self, &deadlines, directory, shared](std::size_t i, std::function<void()> answered) {
        auto& d = (*shared)[i];
        request_with_deadline(self, deadlines, directory, std::move(answered), d.user, std::move(d.update));
      },
      std::move(done));
}

}  // namespace roster::actors
