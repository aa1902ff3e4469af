#include "actors/support/reply_deadlines.hpp"

#include <algorithm>

#include "actors/messages.hpp"

namespace roster::actors {

void reply_deadlines::wait::settle() {
  if (!then_) return;
  auto then = std::move(then_);
  then_ = nullptr;
  then();
}

std::shared_ptr<reply_deadlines::wait> reply_deadlines::open(caf::event_based_actor* self, std::function<void()> then) {
  drop_settled();
  auto opened = std::make_shared<wait>(std::move(then), clock::now());
  waits_.push_back(opened);
  if (!timer_set_) set_timer(self, timeout_);
  return opened;
}

void reply_deadlines::on_timer(caf::event_based_actor* self) {
  timer_set_ = false;
  auto now = clock::now();
  while (!waits_.empty() && (waits_.front()->settled() || waits_.front()->opened() + timeout_ <= now)) {
    // Out of the queue first: settling may open new waits.
    auto oldest = std::move(waits_.front());
    waits_.pop_front();
    oldest->settle();
  }
  if (!waits_.empty() && !timer_set_) set_timer(self, waits_.front()->opened() + timeout_ - now);
}

std::size_t reply_deadlines::open_count() const {
  return static_cast<std::size_t>(
      std::count_if(waits_.begin(), waits_.end(), [](const auto& w) { return !w->settled(); }));
}

// Answers come mostly in the order asked: dropping the settled ones at the
// front keeps the queue as short as what is really outstanding.
void reply_deadlines::drop_settled() {
  while (!waits_.empty() && waits_.front()->settled()) waits_.pop_front();
}

void reply_deadlines::set_timer(caf::event_based_actor* self, clock::duration after) {
  timer_set_ = true;
  self->delayed_send(self, after, expire_waits_atom_v);
}

}  // namespace roster::actors
