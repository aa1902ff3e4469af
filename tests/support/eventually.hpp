// Waiting in tests for something another thread will make true.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace roster::testing {

// Polls `done` for up to `within` (five seconds unless told); whether it
// became true.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::steady_clock::duration within = std::chrono::seconds(5)) {
  auto until = std::chrono::steady_clock::now() + within;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace roster::testing
