// A storage_port for tests that passes everything to a real store, except
// the commits it is told to fail: those fail as a real failed commit does
// (nothing written, the lineage poisoned), so the actors' handling of
// storage faults can be tested without filling a disk.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "storage/port.hpp"

namespace roster::testing {

class faulty_storage final : public storage::storage_port {
 public:
  explicit faulty_storage(storage::storage_port& real) : real_(real) {}

  // The next `count` submitted batches fail with `why`.
  void fail_next_commits(int count, std::string why = "injected fault: no space left on device") {
    why_ = std::move(why);
    failures_ = count;
  }

  // The next `count` batches that write a key starting with `tag` (the
  // record kinds of storage/keys.hpp) fail; others go through.
  void fail_commits_touching(char tag, int count, std::string why = "injected fault: I/O error") {
    why_ = std::move(why);
    tag_ = tag;
    tagged_failures_ = count;
  }

  // Batches submitted from now on wait, unwritten, until release_commits():
  // a slow disk, so that tests see the state between a change and its commit.
  void hold_commits() {
    std::lock_guard<std::mutex> guard(held_mutex_);
    holding_ = true;
  }
  void release_commits() {
    std::vector<held_batch> batches;
    {
      std::lock_guard<std::mutex> guard(held_mutex_);
      holding_ = false;
      batches.swap(held_);
    }
    for (auto& b : batches) real_.submit(std::move(b.lineage), std::move(b.batch), b.high_id, std::move(b.done));
  }

  std::optional<std::string> get(std::string_view key) override { return real_.get(key); }
  void scan(std::string_view prefix, const visitor& visit) override { real_.scan(prefix, visit); }
  std::uint64_t stored_high_id() override { return real_.stored_high_id(); }
  std::uint64_t revision() override { return real_.revision(); }
  std::unique_ptr<storage::change_reader> changes_after(std::uint64_t revision) override {
    return real_.changes_after(revision);
  }

  void submit(std::shared_ptr<storage::write_lineage> lineage, storage::write_batch batch, std::uint64_t high_id,
              commit_callback done) override {
    if (failures_.fetch_sub(1) > 0) {
      lineage->failed = true;
      done(why_);
      return;
    }
    failures_ = 0;
    if (tagged_failures_ > 0) {
      bool touches = false;
      for (const auto& w : batch) touches |= !w.key.empty() && w.key[0] == tag_;
      if (touches && tagged_failures_.fetch_sub(1) > 0) {
        lineage->failed = true;
        done(why_);
        return;
      }
    }
    {
      std::lock_guard<std::mutex> guard(held_mutex_);
      if (holding_) {
        held_.push_back(held_batch{std::move(lineage), std::move(batch), high_id, std::move(done)});
        return;
      }
    }
    real_.submit(std::move(lineage), std::move(batch), high_id, std::move(done));
  }

 private:
  struct held_batch {
    std::shared_ptr<storage::write_lineage> lineage;
    storage::write_batch batch;
    std::uint64_t high_id;
    commit_callback done;
  };

  storage::storage_port& real_;
  std::atomic<int> failures_{0};
  std::atomic<int> tagged_failures_{0};
  std::atomic<char> tag_{0};
  std::string why_;
  std::mutex held_mutex_;
  bool holding_ = false;          // guarded by held_mutex_
  std::vector<held_batch> held_;  // guarded by held_mutex_
};

}  // namespace roster::testing
