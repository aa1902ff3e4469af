#include "server/actor_bridge.hpp"

#include "actors/messages.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <caf/scoped_execution_unit.hpp>

#include <stdexcept>

namespace roster::server {
namespace {

kj::AutoCloseFd make_eventfd() {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("eventfd failed");
  return kj::AutoCloseFd(fd);
}

}  // namespace

actor_bridge::actor_bridge(caf::actor_system& system, caf::actor directory, kj::UnixEventPort& events, kj::Timer& timer,
                           std::chrono::milliseconds timeout, call_budget& budget)
    : system_(system),
      directory_(std::move(directory)),
      companion_handle_(system.spawn<caf::actor_companion>()),
      companion_(static_cast<caf::actor_companion*>(caf::actor_cast<caf::abstract_actor*>(companion_handle_))),
      timer_(timer),
      timeout_(timeout),
      budget_(budget),
      wake_fd_(make_eventfd()),
      wake_observer_(events, wake_fd_.get(), kj::UnixEventPort::FdObserver::OBSERVE_READ),
      drain_task_(nullptr) {
  companion_->on_enqueue([this](caf::mailbox_element_ptr reply) {
    bool first;
    {
      std::lock_guard<std::mutex> guard(completed_mutex_);
      first = completed_.empty();
      completed_.push_back(std::move(reply));
    }
    // Only the first reply of a batch wakes the loop; the rest ride along.
    if (first) {
      std::uint64_t one = 1;
      [[maybe_unused]] auto n = ::write(wake_fd_.get(), &one, sizeof one);
    }
  });
  drain_task_ =
      drain_forever().eagerlyEvaluate([](kj::Exception&& e) { KJ_LOG(ERROR, "completion queue stopped", e); });
}

actor_bridge::~actor_bridge() {
  // Late replies are dropped from here on; then the companion terminates,
  // as CAF's own GUI integration does it (disconnect() is not in the library).
  companion_->on_enqueue([](caf::mailbox_element_ptr) {});
  budget_.give_back(waiting_.size());
  caf::scoped_execution_unit context(&system_);
  companion_->cleanup(caf::exit_reason::user_shutdown, &context);
}

kj::Promise<caf::message> actor_bridge::ask(caf::message content) {
  if (!budget_.try_take()) return overloaded();
  auto mid = companion_->new_request_id(caf::message_priority::normal);
  directory_->enqueue(
      caf::make_mailbox_element(caf::actor_cast<caf::strong_actor_ptr>(companion_handle_), mid, {}, std::move(content)),
      nullptr);
  return await_reply(mid);
}

kj::Maybe<kj::Promise<caf::message>> actor_bridge::ask_if_active(const actors::actor_registry& registry, char kind,
                                                                 actors::entity_id id, caf::message content) {
  if (!budget_.try_take()) return overloaded();
  auto mid = companion_->new_request_id(caf::message_priority::normal);
  auto sent = registry.send_to(kind, id, [&](const caf::actor& owner) {
    owner->enqueue(caf::make_mailbox_element(caf::actor_cast<caf::strong_actor_ptr>(companion_handle_), mid, {},
                                             std::move(content)),
                   nullptr);
  });
  if (!sent) {
    budget_.give_back();
    return nullptr;
  }
  return await_reply(mid);
}

kj::Promise<caf::message> actor_bridge::overloaded() {
  return caf::make_message(
      actors::make_failure(ErrorCode::overloaded, "the server is at its limit of calls in flight: retry later"));
}

kj::Promise<caf::message> actor_bridge::await_reply(caf::message_id mid) {
  auto key = mid.request_id().integer_value();
  auto paf = kj::newPromiseAndFulfiller<caf::message>();
  waiting_.emplace(key, kj::mv(paf.fulfiller));
  // The timer answers in the reply's place if the reply is late; it lives as
  // long as the promise and so is cancelled by a reply in time.
  auto deadline = timer_.afterDelay(timeout_.count() * kj::MILLISECONDS)
                      .then([this, key]() {
                        auto it = waiting_.find(key);
                        if (it == waiting_.end()) return;
                        auto fulfiller = kj::mv(it->second);
                        waiting_.erase(it);
                        budget_.give_back();
                        fulfiller->fulfill(caf::make_message(caf::make_error(caf::sec::request_timeout)));
                      })
                      .eagerlyEvaluate(nullptr);
  return paf.promise.attach(kj::mv(deadline));
}

kj::Promise<void> actor_bridge::drain_forever() {
  return wake_observer_.whenBecomesReadable().then([this]() {
    drain();
    return drain_forever();
  });
}

void actor_bridge::drain() {
  std::uint64_t count;
  while (::read(wake_fd_.get(), &count, sizeof count) > 0) {
  }
  std::vector<caf::mailbox_element_ptr> batch;
  {
    std::lock_guard<std::mutex> guard(completed_mutex_);
    batch.swap(completed_);
  }
  for (auto& reply : batch) {
    auto key = reply->mid.request_id().integer_value();
    auto it = waiting_.find(key);
    if (it == waiting_.end()) continue;  // timed out already
    auto fulfiller = kj::mv(it->second);
    waiting_.erase(it);
    budget_.give_back();
    fulfiller->fulfill(reply->move_content_to_message());
  }
}

}  // namespace roster::server
