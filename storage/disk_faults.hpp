// Faults a test arms below the store, where a disk would cause them: a full
// or failing disk under the log, a slow fsync, LMDB running out of map or
// of disk, or slow to write. They let the store's handling of each be tested without filling
// a real disk. A store without faults (the default) pays one null pointer
// test per log append and per LMDB transaction.
#pragma once

#include <atomic>

namespace roster::storage {

struct disk_faults {
  // While non-zero, every log write fails with this errno (ENOSPC, EIO), as
  // pwrite answers on a full or failing disk.
  std::atomic<int> log_write_errno{0};
  // Every log fdatasync first waits this long: a slow disk.
  std::atomic<int> sync_delay_ms{0};
  // While non-zero, every LMDB write transaction fails with this errno
  // (ENOSPC when the disk under LMDB is full).
  std::atomic<int> lmdb_errno{0};
  // The next this-many LMDB write transactions answer MDB_MAP_FULL, as LMDB
  // does when the records outgrow the map.
  std::atomic<int> lmdb_map_full{0};
  // Every LMDB write transaction first waits this long: a slow disk under
  // LMDB, so that the log runs ahead of it.
  std::atomic<int> lmdb_delay_ms{0};
};

}  // namespace roster::storage
