// The store as the actors see it: an acknowledged batch is readable at once
// and survives a crash, whether or not LMDB held it yet (SPEC C6).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <map>

#include "storage/commit_helper.hpp"
#include "storage/lmdb_store.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster::storage;
using roster::testing::commit;
using roster::testing::exit_code_of_child;
using roster::testing::temp_dir;

namespace {

// Nothing reaches LMDB until close(): every read goes through the log's records.
store_options log_only(const std::string& dir) {
  store_options options{dir};
  options.apply_interval = std::chrono::hours(1);
  options.apply_records = SIZE_MAX;
  return options;
}

std::map<std::string, std::string> scan_all(lmdb_store& store, std::string_view prefix) {
  std::map<std::string, std::string> seen;
  std::string last;
  store.scan(prefix, [&](std::string_view k, std::string_view v) {
    CHECK((seen.empty() || std::string(k) > last));  // in key order, each once
    last = std::string(k);
    seen.emplace(k, v);
  });
  return seen;
}

}  // namespace

TEST_CASE("C6 a logged batch is readable before LMDB holds it, and scans merge the two", "[storage]") {
  temp_dir dir;
  {
    lmdb_store store(store_options{dir.path()});
    REQUIRE_FALSE(
        commit(store, {{"u/1", std::string("one")}, {"u/2", std::string("two")}, {"u/4", std::string("four")}}));
  }  // close() applies everything to LMDB
  lmdb_store store(log_only(dir.path()));
  REQUIRE_FALSE(commit(store, {{"u/2", std::string("TWO")}, {"u/3", std::string("three")}, {"u/4", std::nullopt}}));
  REQUIRE_FALSE(commit(store, {{"u/5", std::string("five")}, {"v/1", std::string("other")}}));

  CHECK(store.stats().applies == 0);
  CHECK(store.get("u/1") == std::string("one"));
  CHECK(store.get("u/2") == std::string("TWO"));
  CHECK_FALSE(store.get("u/4"));
  CHECK(scan_all(store, "u/") ==
        std::map<std::string, std::string>{{"u/1", "one"}, {"u/2", "TWO"}, {"u/3", "three"}, {"u/5", "five"}});
}

TEST_CASE("C6 one LMDB transaction of many batches keeps each key's last write, in the order acknowledged",
          "[storage]") {
  temp_dir dir;
  {
    lmdb_store store(log_only(dir.path()));
    REQUIRE_FALSE(commit(store, {{"k/b", std::string("1")}, {"k/a", std::string("1")}, {"k/c", std::string("1")}}));
    REQUIRE_FALSE(commit(store, {{"k/b", std::nullopt}, {"k/a", std::string("2")}}));
    REQUIRE_FALSE(commit(store, {{"k/b", std::string("3")}, {"k/c", std::nullopt}, {"k/d", std::string("3")}}));
    REQUIRE_FALSE(commit(store, {{"k/a", std::string("4")}, {"k/a", std::string("5")}, {"k/d", std::nullopt}}));
    CHECK(store.stats().applies == 0);
  }  // close() applies the four batches in one transaction
  lmdb_store store(log_only(dir.path()));
  CHECK(store.stats().replayed_frames == 0);  // read from LMDB, not the log
  CHECK(scan_all(store, "k/") == std::map<std::string, std::string>{{"k/a", "5"}, {"k/b", "3"}});
}

TEST_CASE("C6 batches acknowledged from the log survive a crash before LMDB holds them", "[storage][crash]") {
  temp_dir dir;
  auto data = dir.path() + "/data";
  // The child acknowledges batches and dies without closing anything.
  REQUIRE(exit_code_of_child([&]() -> int {
            lmdb_store store(log_only(data));
            bool ok = true;
            for (int i = 0; i < 100; ++i)
              ok = ok && !commit(store, {{"k/" + std::to_string(1000 + i), std::to_string(i)}}, 5000 + i);
            ok = ok && !commit(store, {{"k/1000", std::nullopt}});
            _exit(ok ? 0 : 1);  // here: returning would run the store's destructor
          }) == 0);

  lmdb_store store(log_only(data));
  CHECK(store.stats().replayed_frames == 101);
  CHECK(store.stored_high_id() == 5099);
  CHECK_FALSE(store.get("k/1000"));
  CHECK(store.get("k/1099") == std::string("99"));
  CHECK(scan_all(store, "k/").size() == 99);

  // Replayed into LMDB at open: the log started afresh, and numbering goes on.
  REQUIRE_FALSE(commit(store, {{"k/2000", std::string("after")}}));
  store.close();
  lmdb_store reopened(log_only(data));
  CHECK(reopened.stats().replayed_frames == 0);
  CHECK(reopened.get("k/2000") == std::string("after"));
  CHECK(reopened.stored_high_id() == 5099);
}

TEST_CASE("C6 the applier moves logged batches into LMDB on its own", "[storage]") {
  temp_dir dir;
  store_options options{dir.path()};
  options.apply_interval = std::chrono::milliseconds(1);
  lmdb_store store(options);
  for (int i = 0; i < 20; ++i) REQUIRE_FALSE(commit(store, {{"a/" + std::to_string(i), std::to_string(i)}}));
  for (int spins = 0; spins < 2000 && store.stats().applies == 0; ++spins)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(store.stats().applies > 0);
  CHECK(scan_all(store, "a/").size() == 20);
  CHECK(store.get("a/7") == std::string("7"));
}

TEST_CASE("C6 a failed log write fails its batch only, and the log goes on in a new segment", "[storage][faults]") {
  temp_dir dir;
  auto data = dir.path() + "/data";
  CHECK(exit_code_of_child([&]() -> int {
          // A file size limit makes the log's write fail with EFBIG, as a full disk would.
          std::signal(SIGXFSZ, SIG_IGN);
          lmdb_store store(log_only(data));
          int wrong = 0;
          if (commit(store, {{"k/before", std::string("1")}})) wrong |= 1;
          rlimit limit{2048, RLIM_INFINITY};
          if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(100);
          auto failed = commit(store, {{"k/big", std::string(4096, 'x')}});
          if (!failed || failed->find("write log") == std::string::npos) wrong |= 2;
          // The first frame of the new segment fails too, then the next one fits.
          if (!commit(store, {{"k/big2", std::string(4096, 'y')}})) wrong |= 4;
          if (commit(store, {{"k/after", std::string("2")}})) wrong |= 8;
          if (!store.get("k/after") || store.get("k/big")) wrong |= 16;
          _exit(wrong);  // as a crash: the log alone holds the batches
        }) == 0);

  lmdb_store store(log_only(data));
  CHECK(store.stats().replayed_frames == 2);
  CHECK(store.get("k/before") == std::string("1"));
  CHECK(store.get("k/after") == std::string("2"));
  CHECK_FALSE(store.get("k/big"));
  CHECK_FALSE(store.get("k/big2"));
}

TEST_CASE("backup: a copy holds every acknowledged change, though LMDB had none yet, and nothing after",
          "[storage][backup]") {
  temp_dir dir;
  // A store whose applier would wait an hour: the backup must make it apply.
  lmdb_store store(log_only(dir.path() + "/live"));
  REQUIRE_FALSE(commit(store, {{"u/1", std::string("one")}, {"u/2", std::string("two")}}));
  REQUIRE_FALSE(commit(store, {{"u/2", std::nullopt}, {"u/3", std::string("three")}}, 7));
  REQUIRE(store.stats().applies == 0);

  REQUIRE_FALSE(store.backup(dir.path() + "/copy"));
  REQUIRE_FALSE(commit(store, {{"u/4", std::string("after")}}));

  lmdb_store copy(store_options{dir.path() + "/copy"});
  CHECK(copy.get("u/1") == std::string("one"));
  CHECK_FALSE(copy.get("u/2"));
  CHECK(copy.get("u/3") == std::string("three"));
  CHECK_FALSE(copy.get("u/4"));
  CHECK(copy.stored_high_id() == 7);
  // The copy goes on as a store of its own: its log continues after what it holds.
  REQUIRE_FALSE(commit(copy, {{"u/5", std::string("five")}}));
  CHECK(copy.get("u/5") == std::string("five"));
  CHECK(store.get("u/4") == std::string("after"));
  CHECK_FALSE(store.get("u/5"));
}

TEST_CASE("backup: into a directory that is not empty is refused and writes nothing there", "[storage][backup]") {
  temp_dir dir;
  lmdb_store store(store_options{dir.path() + "/live"});
  REQUIRE_FALSE(commit(store, {{"u/1", std::string("one")}}));
  REQUIRE_FALSE(store.backup(dir.path() + "/copy"));
  auto again = store.backup(dir.path() + "/copy");
  REQUIRE(again);
  CHECK(again->find("not empty") != std::string::npos);
  auto into_a_file = store.backup(dir.path() + "/copy/data.mdb");
  REQUIRE(into_a_file);
}

TEST_CASE("C7 the revision grows with every acknowledged batch, and on after a restart and a crash", "[storage]") {
  temp_dir dir;
  std::uint64_t before_restart = 0;
  {
    lmdb_store store(store_options{dir.path()});
    auto first = store.revision();
    REQUIRE_FALSE(commit(store, {{"a", std::string("1")}}));
    auto second = store.revision();
    CHECK(second > first);
    REQUIRE_FALSE(commit(store, {{"b", std::string("2")}}));
    CHECK(store.revision() > second);
    before_restart = store.revision();
  }
  {
    lmdb_store store(store_options{dir.path()});
    CHECK(store.revision() == before_restart);
    REQUIRE_FALSE(commit(store, {{"c", std::string("3")}}));
    CHECK(store.revision() > before_restart);
    before_restart = store.revision();
  }
  // Acknowledged from the log only, then a crash: the replay keeps the count.
  CHECK(exit_code_of_child([&] {
          auto* store = new lmdb_store(log_only(dir.path()));  // never closed: a crash
          if (commit(*store, {{"d", std::string("4")}})) return 1;
          return store->revision() > before_restart ? 0 : 2;
        }) == 0);
  lmdb_store store(store_options{dir.path()});
  CHECK(store.revision() > before_restart);
  CHECK(store.get("d") == std::optional<std::string>("4"));
}
