// RAII around LMDB's C handles: an environment and a transaction. Every
// transaction ends exactly once: committed by commit(), or aborted by the
// destructor on any other path.
#pragma once

#include <lmdb.h>

#include <stdexcept>
#include <string>

namespace roster::storage {

class lmdb_error : public std::runtime_error {
 public:
  lmdb_error(const std::string& what, int code) : std::runtime_error(what + ": " + mdb_strerror(code)), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

inline void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw lmdb_error(what, rc);
}

class lmdb_env {
 public:
  lmdb_env() { check(mdb_env_create(&env_), "mdb_env_create"); }
  ~lmdb_env() {
    if (env_) mdb_env_close(env_);
  }
  lmdb_env(const lmdb_env&) = delete;
  lmdb_env& operator=(const lmdb_env&) = delete;
  MDB_env* get() const { return env_; }

 private:
  MDB_env* env_ = nullptr;
};

class lmdb_txn {
 public:
  lmdb_txn(MDB_env* env, unsigned flags) { check(mdb_txn_begin(env, nullptr, flags, &txn_), "mdb_txn_begin"); }
  ~lmdb_txn() {
    if (txn_) mdb_txn_abort(txn_);
  }
  lmdb_txn(const lmdb_txn&) = delete;
  lmdb_txn& operator=(const lmdb_txn&) = delete;

  MDB_txn* get() const { return txn_; }

  // Returns MDB_SUCCESS or the error; the handle is released either way.
  int commit() {
    auto rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    return rc;
  }

 private:
  MDB_txn* txn_ = nullptr;
};

class lmdb_cursor {
 public:
  lmdb_cursor(MDB_txn* txn, MDB_dbi dbi) { check(mdb_cursor_open(txn, dbi, &cursor_), "mdb_cursor_open"); }
  ~lmdb_cursor() { mdb_cursor_close(cursor_); }
  lmdb_cursor(const lmdb_cursor&) = delete;
  lmdb_cursor& operator=(const lmdb_cursor&) = delete;
  MDB_cursor* get() const { return cursor_; }

 private:
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace roster::storage
