// The records the write-ahead log holds durably but LMDB does not hold yet.
// Reads consult them before LMDB, so a reader sees every acknowledged change
// whichever of the two holds it.
//
// The writer adds a frame's records once the frame is durable; the applier
// forgets them once LMDB's commit of them is durable. A reader that misses
// here and then reads LMDB sees the record: it left this set only after
// LMDB held it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "storage/port.hpp"
#include "storage/writer_first_lock.hpp"

namespace roster::storage {

class unapplied_records {
 public:
  // nullopt: not here, ask LMDB. A held nullopt: erased, LMDB's copy is stale.
  using lookup = std::optional<std::optional<std::string>>;
  using range_entry = std::pair<std::string, std::optional<std::string>>;

  // Holds the records of one logged frame's batches, under one lock.
  void add(std::uint64_t lsn, const std::vector<write_batch>& batches);
  // Forgets what `batches` (logged at or below `applied_lsn`) wrote, unless
  // a later frame wrote the key again.
  void forget(std::uint64_t applied_lsn, const std::vector<write_batch>& batches);

  lookup find(std::string_view key) const;
  // Every held key starting with `prefix`, in key order (bytewise, as
  // unsigned chars: as LMDB orders them).
  std::vector<range_entry> with_prefix(std::string_view prefix) const;

 private:
  struct held {
    std::optional<std::string> value;
    std::uint64_t lsn;
  };

  // Keys are grouped by their first bytes — a kind and an entity id, what
  // nearly every scan names — so a scan reads one group, not every record,
  // while the writer and the applier pay a hash lookup, not a walk down an
  // ordered tree (which cost them 10 % of the server's time under load).
  // A group is a set: keys named by text (usernames, addresses) share their
  // first bytes by the thousand, and forgetting one must not search them.
  static constexpr std::size_t group_width = 9;
  static std::string_view group_of(std::string_view key) { return key.substr(0, group_width); }

  // Every read of storage takes it shared; the log writer and the applier
  // must not wait behind them.
  mutable writer_first_lock mutex_;
  absl::flat_hash_map<std::string, held> records_;
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> groups_;  // the keys of records_, by group
};

}  // namespace roster::storage
