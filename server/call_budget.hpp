// Limits shared by every RPC loop: the calls that may wait inside the server
// at once (beyond, a call is answered `overloaded` at once instead of
// queueing without bound; DESIGN "Threads", SPEC overload), and the
// connections open at once (beyond, a new one is closed as it arrives), so
// that what peers can make the server hold is bounded.
#pragma once

#include <atomic>
#include <cstddef>

namespace roster::server {

class call_budget {
 public:
  explicit call_budget(std::size_t limit) : limit_(limit) {}

  // Takes one place; false when the server is at its limit.
  bool try_take() {
    if (taken_.fetch_add(1, std::memory_order_relaxed) < limit_) return true;
    taken_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  void give_back(std::size_t calls = 1) { taken_.fetch_sub(calls, std::memory_order_relaxed); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> taken_{0};
};

struct shared_limits {
  shared_limits(std::size_t calls_in_flight, std::size_t open_connections)
      : calls(calls_in_flight), connections(open_connections) {}
  call_budget calls;
  call_budget connections;
};

}  // namespace roster::server
