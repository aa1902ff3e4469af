// The event loop a thread's Clients share (client_internals.hpp).
#include "client_internals.hpp"

namespace roster::detail {

std::shared_ptr<kj::AsyncIoContext> this_threads_loop() {
  thread_local std::weak_ptr<kj::AsyncIoContext> current;
  if (auto loop = current.lock()) return loop;
  auto loop = std::make_shared<kj::AsyncIoContext>(kj::setupAsyncIo());
  current = loop;
  return loop;
}

}  // namespace roster::detail
