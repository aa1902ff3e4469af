// What the store's threads tell whoever watches the server (rosterd's
// metrics) of each durable step. Called on the log writer's and the
// applier's threads: an implementation is thread-safe and cheap, and never
// blocks them.
#pragma once

#include <chrono>
#include <cstddef>

namespace roster::storage {

class commit_observer {
 public:
  virtual ~commit_observer() = default;

  // One group commit: a log frame of `changes` acknowledged batches holding
  // `records` records, appended and synced (fdatasync) in `took`.
  virtual void logged(std::size_t changes, std::size_t records, std::chrono::steady_clock::duration took) = 0;
  // One LMDB transaction of `records` logged records, committed in `took`.
  virtual void applied(std::size_t records, std::chrono::steady_clock::duration took) = 0;
};

}  // namespace roster::storage
