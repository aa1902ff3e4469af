// The store under the faults of a disk (storage/disk_faults.hpp): a full or
// failing disk under the log or under LMDB, a map too small, a slow fsync.
// Whatever happens, nothing acknowledged is lost, a change that cannot be
// made durable fails with the reason, and service resumes when the fault
// clears (SPEC C6; issue: faults in storage).
#include <catch2/catch.hpp>

#include <lmdb.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/commit_helper.hpp"
#include "storage/disk_faults.hpp"
#include "storage/lmdb_store.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

using namespace roster::storage;
using roster::testing::commit;
using roster::testing::eventually;
using roster::testing::temp_dir;

namespace {

struct faulty_store_options : store_options {
  explicit faulty_store_options(const std::string& dir) : store_options{dir} {
    faults = std::make_shared<disk_faults>();
    apply_interval = std::chrono::milliseconds(5);
    report = [this](const std::string& line) {
      std::lock_guard<std::mutex> guard(*reports_mutex);
      reports->push_back(line);
    };
  }
  std::shared_ptr<std::mutex> reports_mutex = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::string>> reports = std::make_shared<std::vector<std::string>>();

  bool reported(const std::string& part) const {
    std::lock_guard<std::mutex> guard(*reports_mutex);
    for (const auto& line : *reports)
      if (line.find(part) != std::string::npos) return true;
    return false;
  }
};

std::string record(int i) { return "r/" + std::to_string(100000 + i); }

}  // namespace

TEST_CASE(
    "C6 a full disk under the log fails each change with the reason, and logging resumes when "
    "space returns",
    "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  {
    lmdb_store store(options);
    REQUIRE_FALSE(commit(store, {{"k/before", std::string("1")}}));
    options.faults->log_write_errno = ENOSPC;
    for (int i = 0; i < 3; ++i) {
      auto failed = commit(store, {{"k/failed" + std::to_string(i), std::string("x")}});
      REQUIRE(failed);
      CHECK_THAT(*failed, Catch::Contains("No space left on device"));
    }
    CHECK(store.get("k/before") == std::string("1"));
    CHECK_FALSE(store.get("k/failed0"));
    options.faults->log_write_errno = 0;
    REQUIRE_FALSE(commit(store, {{"k/after", std::string("2")}}));
  }
  lmdb_store reopened(store_options{dir.path()});
  CHECK(reopened.get("k/before") == std::string("1"));
  CHECK(reopened.get("k/after") == std::string("2"));
  for (int i = 0; i < 3; ++i) CHECK_FALSE(reopened.get("k/failed" + std::to_string(i)));
}

TEST_CASE(
    "C6 a slow fsync delays acknowledgements, fails none, and gathers the waiting changes into few "
    "frames",
    "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  lmdb_store store(options);
  options.faults->sync_delay_ms = 50;
  constexpr int changes = 200;
  std::atomic<int> acknowledged{0}, failed{0};
  for (int i = 0; i < changes; ++i)
    store.submit(std::make_shared<roster::storage::write_lineage>(), {{record(i), std::to_string(i)}}, 0,
                 [&](std::optional<std::string> error) { ++(error ? failed : acknowledged); });
  REQUIRE(eventually([&] { return acknowledged + failed == changes; }));
  CHECK(failed == 0);
  // One frame per fsync: the changes that queued behind a slow one share the next.
  CHECK(store.stats().commits < 20);
  for (int i = 0; i < changes; i += 37) CHECK(store.get(record(i)) == std::to_string(i));
}

TEST_CASE("C6 the map grows by itself when the records outgrow it", "[storage][faults]") {
  temp_dir dir;
  store_options options{dir.path()};
  options.initial_map_size = std::size_t{1} << 20;
  options.apply_interval = std::chrono::milliseconds(1);
  {
    lmdb_store store(options);
    const std::string value(1000, 'v');
    for (int batch = 0; batch < 40; ++batch) {
      roster::storage::write_batch records;
      for (int i = 0; i < 100; ++i) records.push_back({record(batch * 100 + i), value});
      REQUIRE_FALSE(commit(store, std::move(records)));
    }
    store.close();                        // everything into LMDB
    CHECK(store.stats().map_grows >= 2);  // 4 MB of records in a 1 MiB map
    CHECK(store.stats().map_size >= std::size_t{4} << 20);
    CHECK(store.stats().apply_failures == 0);
  }
  lmdb_store reopened(options);
  CHECK(reopened.stats().replayed_frames == 0);
  CHECK(reopened.get(record(3999)) == std::string(1000, 'v'));
  CHECK(reopened.get(record(0)) == std::string(1000, 'v'));
}

TEST_CASE("C6 MDB_MAP_FULL from LMDB grows the map and the changes go in, reported", "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  lmdb_store store(options);
  auto before = store.stats().map_size;
  options.faults->lmdb_map_full = 2;
  REQUIRE_FALSE(commit(store, {{"k/1", std::string("one")}}));
  REQUIRE(eventually([&] { return store.stats().applies > 0; }));
  CHECK(store.stats().map_grows == 2);
  CHECK(store.stats().map_size == before * 4);
  CHECK(store.stats().apply_failures == 0);
  CHECK(options.reported("map grew"));
}

TEST_CASE(
    "C6 a full disk under LMDB: changes stay acknowledged from the log, readable, and reach LMDB "
    "when space returns",
    "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  {
    lmdb_store store(options);
    options.faults->lmdb_errno = ENOSPC;
    for (int i = 0; i < 10; ++i) REQUIRE_FALSE(commit(store, {{record(i), std::to_string(i)}}));
    REQUIRE(eventually([&] { return store.stats().apply_failures > 0; }));
    CHECK(options.reported("No space left on device"));
    CHECK(store.stats().applies == 0);
    CHECK(store.get(record(9)) == std::string("9"));

    options.faults->lmdb_errno = 0;
    // The applier retries about once a second.
    REQUIRE(eventually([&] { return store.stats().applies > 0; }));
    CHECK(options.reported("takes the logged changes again"));
  }
  lmdb_store reopened(store_options{dir.path()});
  CHECK(reopened.stats().replayed_frames == 0);  // all in LMDB before the close
  for (int i = 0; i < 10; ++i) CHECK(reopened.get(record(i)) == std::to_string(i));
}

TEST_CASE("C6 when LMDB refuses and the log's backlog is full, new changes fail at once with the reason",
          "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  options.max_unapplied_records = 20;
  lmdb_store store(options);
  options.faults->lmdb_errno = ENOSPC;
  int acknowledged = 0;
  std::optional<std::string> refusal;
  for (int i = 0; i < 40 && !refusal; ++i) {
    refusal = commit(store, {{record(2 * i), "a"}, {record(2 * i + 1), "b"}});
    if (!refusal) ++acknowledged;
    if (i == 0) REQUIRE(eventually([&] { return store.stats().apply_failures > 0; }));
  }
  REQUIRE(refusal);
  CHECK_THAT(*refusal, Catch::Contains("storage full") && Catch::Contains("No space left on device"));
  CHECK(acknowledged == 10);  // 20 records wait for LMDB: no room for more

  options.faults->lmdb_errno = 0;
  REQUIRE(eventually([&] { return store.stats().applies > 0; }));
  REQUIRE_FALSE(commit(store, {{"k/after", std::string("1")}}));
  for (int i = 0; i < 2 * acknowledged; ++i) CHECK(store.get(record(i)).has_value());
}

TEST_CASE(
    "Stalls an operator looks for when calls time out are reported: slow LMDB transactions, the log "
    "waiting for LMDB",
    "[storage][faults]") {
  temp_dir dir;
  faulty_store_options options(dir.path());
  options.slow_apply = std::chrono::milliseconds(0);     // every transaction counts as slow
  options.slow_log_wait = std::chrono::milliseconds(0);  // every wait counts
  options.max_unapplied_records = 1;                     // the second change waits for the first to apply
  lmdb_store store(options);
  // LMDB slow enough that the second change is logged while the first is
  // still on its way there, however quickly the applier wakes.
  options.faults->lmdb_delay_ms = 300;
  REQUIRE_FALSE(commit(store, {{"k/1", std::string("one")}}));
  REQUIRE_FALSE(commit(store, {{"k/2", std::string("two")}}));
  CHECK(options.reported("one LMDB transaction of 1 logged changes took"));
  CHECK(options.reported("the write-ahead log waited"));
  CHECK(options.reported("ms for LMDB, 1 logged changes behind"));
  CHECK(store.get("k/2") == std::string("two"));
}
