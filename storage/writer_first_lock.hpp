// A readers-writer lock that lets a waiting writer in before new readers.
//
// std::shared_mutex on glibc prefers readers: where readers keep coming
// without a pause — every storage read, every direct send to an actor — a
// writer can wait for good (the registry's withdrawal waited minutes under
// load before it used this lock). The unapplied records (the log writer
// adds what a commit made readable, the applier forgets it) and the actors'
// registry use it.
//
// A reader must never take it twice: a writer waiting between the two takes
// waits for the first, and the second waits for the writer. (LMDB's map
// guard is therefore a std::shared_mutex: a scan's visitor reads again.)
#pragma once

#include <pthread.h>

namespace roster::storage {

class writer_first_lock {
 public:
  writer_first_lock() {
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock_, &attributes);
    pthread_rwlockattr_destroy(&attributes);
  }
  ~writer_first_lock() { pthread_rwlock_destroy(&lock_); }
  writer_first_lock(const writer_first_lock&) = delete;
  writer_first_lock& operator=(const writer_first_lock&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace roster::storage
