// --watchers N: clients that watch every change (C8) while the workloads
// run, so that the report shows what an active watcher costs the server.
// Each counts what it is sent and does no more with it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "bench_options.hpp"

namespace roster::bench {

class change_watchers {
 public:
  // Starts `count` watchers of every change from now on.
  change_watchers(const options& opt, const std::string& token, unsigned count);
  // Stops them: one more change ends each watch.
  ~change_watchers();
  change_watchers(const change_watchers&) = delete;
  change_watchers& operator=(const change_watchers&) = delete;

  std::uint64_t changes_seen() const { return seen_.load(); }

 private:
  std::string connect_;
  std::string token_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> seen_{0};
  std::vector<std::thread> threads_;
};

}  // namespace roster::bench
