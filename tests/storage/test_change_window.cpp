// The change window (SPEC C8) in storage: the write-ahead log's segments
// kept after LMDB holds them, read back frame by frame in revision order,
// across segments, restarts and crashes, until the window moves past.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "commit_helper.hpp"
#include "storage/changes.hpp"
#include "storage/keys.hpp"
#include "storage/lmdb_store.hpp"
#include "storage/records.hpp"
#include "storage/wal_frame.hpp"
#include "storage/wal_reader.hpp"
#include "storage/write_ahead_log.hpp"
#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

using namespace roster::storage;
using roster::testing::commit;
using roster::testing::exit_code_of_child;
using roster::testing::temp_dir;

namespace {

struct seen_record {
  std::uint64_t revision;
  std::string key;
  std::optional<std::string> value;
};

std::vector<seen_record> read_all(change_reader& reader, std::size_t max_records = 1000) {
  std::vector<seen_record> seen;
  for (;;) {
    auto before = seen.size();
    auto stopped = reader.read(max_records, [&](std::uint64_t revision, const record_write& record) {
      seen.push_back({revision, record.key, record.value});
    });
    REQUIRE_FALSE(stopped);
    if (seen.size() == before) return seen;
  }
}

// Every segment holds one frame: the window's edges fall between frames.
store_options tiny_segments(const std::string& dir) {
  store_options options{dir};
  options.log_segment_bytes = 1;
  return options;
}

}  // namespace

TEST_CASE("C8 the changes after a revision read back once each, in order, across segments, restarts and a crash",
          "[storage][watch]") {
  temp_dir dir;
  std::vector<std::uint64_t> revisions;  // of k0, k1, ...
  auto write = [&](lmdb_store& store, int from, int to) {
    for (int i = from; i < to; ++i) {
      REQUIRE_FALSE(commit(store, {{"k" + std::to_string(i), std::to_string(i)}, {"gone", std::nullopt}}));
      revisions.push_back(store.revision());
    }
  };
  {
    lmdb_store store(tiny_segments(dir.path()));
    write(store, 0, 5);
    auto reader = store.changes_after(0);
    REQUIRE(reader);
    auto seen = read_all(*reader, 1);  // one frame a read
    REQUIRE(seen.size() == 10);
    for (int i = 0; i < 5; ++i) {
      CHECK(seen[2 * i].key == "k" + std::to_string(i));
      CHECK(seen[2 * i].value == std::to_string(i));
      CHECK(seen[2 * i].revision == revisions[i]);
      CHECK(seen[2 * i + 1].key == "gone");
      CHECK_FALSE(seen[2 * i + 1].value);
    }
    CHECK(reader->position() == store.revision());

    // Later changes reach the same reader; a reader from the middle starts there.
    write(store, 5, 7);
    auto more = read_all(*reader);
    REQUIRE(more.size() == 4);
    CHECK(more[0].key == "k5");
    auto middle = store.changes_after(revisions[2]);
    REQUIRE(middle);
    auto from_middle = read_all(*middle);
    REQUIRE(from_middle.size() == 8);
    CHECK(from_middle[0].key == "k3");
  }
  {
    // A restart keeps the window: a reader resumes where it was.
    lmdb_store store(tiny_segments(dir.path()));
    write(store, 7, 8);
    auto reader = store.changes_after(revisions[5]);
    REQUIRE(reader);
    auto seen = read_all(*reader);
    REQUIRE(seen.size() == 4);
    CHECK(seen[0].key == "k6");
    CHECK(seen[2].key == "k7");
    CHECK(seen[2].revision == revisions[7]);
  }
  // Acknowledged from the log only, then a crash: the replayed frames are
  // in the window too.
  auto before_crash = revisions.back();
  CHECK(exit_code_of_child([&] {
          store_options options = tiny_segments(dir.path());
          options.apply_interval = std::chrono::hours(1);
          options.apply_records = SIZE_MAX;
          auto* store = new lmdb_store(options);  // never closed: a crash
          return commit(*store, {{"k8", std::string("8")}}) ? 1 : 0;
        }) == 0);
  lmdb_store store(tiny_segments(dir.path()));
  auto reader = store.changes_after(before_crash);
  REQUIRE(reader);
  auto seen = read_all(*reader);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].key == "k8");
  CHECK(seen[0].revision == store.revision());
  auto all = store.changes_after(0);
  REQUIRE(all);
  CHECK(read_all(*all).size() == 17);
}

TEST_CASE("C8 a revision before the kept window has no reader, and a reader the window passes stops, saying so",
          "[storage][watch]") {
  temp_dir dir;
  auto options = tiny_segments(dir.path());
  options.kept_log_bytes = 0;  // nothing beyond what LMDB lacks
  options.apply_interval = std::chrono::milliseconds(5);
  lmdb_store store(options);
  REQUIRE_FALSE(commit(store, {{"a", std::string("1")}}));
  auto first = store.revision();
  auto behind = store.changes_after(first);  // reads nothing yet
  REQUIRE(behind);
  for (int i = 0; i < 3; ++i) REQUIRE_FALSE(commit(store, {{"b" + std::to_string(i), std::string("2")}}));
  // Once LMDB holds them, their segments go (the log lets them go as it
  // writes the next frames).
  int more = 0;
  REQUIRE(roster::testing::eventually([&] {
    REQUIRE_FALSE(commit(store, {{"m" + std::to_string(more++), std::string("4")}}));
    return store.changes_after(first) == nullptr;
  }));
  CHECK(store.changes_after(0) == nullptr);
  auto stopped = behind->read(100, [](std::uint64_t, const record_write&) { FAIL("nothing is kept to read"); });
  REQUIRE(stopped);
  CHECK(stopped->window_passed);
  CHECK_THAT(stopped->why, Catch::Contains("no longer kept"));
  // The newest revision always has a reader: of what comes next.
  auto now = store.changes_after(store.revision());
  REQUIRE(now);
  REQUIRE_FALSE(commit(store, {{"c", std::string("3")}}));
  auto seen = read_all(*now);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].key == "c");
}

TEST_CASE("C8 after a failed append the reader takes the frame from the new segment, never the old bytes",
          "[storage][watch]") {
  temp_dir dir;
  auto frame_of = [](std::uint64_t lsn, const std::string& value) {
    write_batch batch{{"k", value}};
    std::string out;
    encode_frame(out, lsn, 0, {&batch});
    return out;
  };
  auto window = std::make_shared<log_window>();
  {
    // As the writer leaves things after a failed append of frame 3.
    write_ahead_log before(dir.path(), 1, std::size_t{1} << 20);
    for (std::uint64_t lsn = 1; lsn <= 3; ++lsn) REQUIRE_FALSE(before.append(frame_of(lsn, "failed")));
  }
  write_ahead_log after(dir.path(), 3, std::size_t{1} << 20, nullptr, std::size_t{1} << 30, window);
  REQUIRE_FALSE(after.append(frame_of(3, "acknowledged")));
  window->set_durable(3);
  wal_reader reader(window, 0);
  auto seen = read_all(reader);
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].value == std::string("failed"));  // frame 2 was acknowledged
  CHECK(seen[2].revision == 3);
  CHECK(seen[2].value == std::string("acknowledged"));
}

TEST_CASE("C8 P9 a grant's record reads back as a grant change, with when it ends", "[storage][watch]") {
  grant g{{2, 1}, true, false, 1'700'000'123'456};
  auto change = change_of({keys::project_user_grant(3, 7), records::encode_grant(false, 7, g)});
  REQUIRE(change);
  CHECK_FALSE(change->removed);
  auto* granted = std::get_if<grant_change>(&change->what);
  REQUIRE(granted);
  CHECK(granted->project == 3);
  CHECK(granted->subject == 7);
  CHECK_FALSE(granted->to_team);
  CHECK(granted->access.levels == std::vector<std::uint8_t>{2, 1});
  CHECK(granted->access.upload);
  CHECK(granted->access.expires == 1'700'000'123'456);

  auto revoked = change_of({keys::project_team_grant(3, 9), std::nullopt});
  REQUIRE(revoked);
  CHECK(revoked->removed);
  REQUIRE(std::get_if<grant_change>(&revoked->what));
  CHECK(std::get<grant_change>(revoked->what).to_team);
  CHECK(std::get<grant_change>(revoked->what).subject == 9);
  // An index entry is no change.
  CHECK_FALSE(change_of({keys::user_project(7, 3), std::string()}));
}
