// The write-ahead log on its own: frames, segments, and what recovery reads
// back after a torn write, a failed append or a lost segment (SPEC C6).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "storage/wal_frame.hpp"
#include "storage/write_ahead_log.hpp"
#include "support/temp_dir.hpp"

using namespace roster::storage;
using roster::storage::write_batch;
using roster::testing::temp_dir;
namespace fs = std::filesystem;

namespace {

std::string frame_of(std::uint64_t lsn, const write_batch& batch, std::uint64_t high_id = 0) {
  std::string out;
  encode_frame(out, lsn, high_id, {&batch});
  return out;
}

write_batch put(const std::string& key, const std::string& value) { return {{key, value}}; }

std::vector<wal_frame> replay_all(const std::string& dir, std::uint64_t applied = 0) {
  std::vector<wal_frame> frames;
  write_ahead_log::replay(dir, applied, [&](wal_frame&& f) { frames.push_back(std::move(f)); });
  return frames;
}

std::vector<fs::path> segments(const std::string& dir) {
  std::vector<fs::path> found;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("wal-", 0) == 0) found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

TEST_CASE("C6 a log frame decodes to what was encoded, and a damaged one not at all", "[storage][wal]") {
  write_batch first{{"a", std::string("1")}, {"b", std::nullopt}};
  write_batch second{{std::string("k\0ey", 4), std::string("v\0al", 4)}};
  std::string bytes;
  encode_frame(bytes, 7, 42, {&first, &second});

  std::string_view in(bytes);
  auto frame = decode_frame(in);
  REQUIRE(frame);
  CHECK(in.empty());
  CHECK(frame->lsn == 7);
  CHECK(frame->high_id == 42);
  REQUIRE(frame->records.size() == 3);
  CHECK(frame->records[0].key == "a");
  CHECK(frame->records[0].value == std::string("1"));
  CHECK_FALSE(frame->records[1].value);
  CHECK(frame->records[2].key == std::string("k\0ey", 4));
  CHECK(frame->records[2].value == std::string("v\0al", 4));

  SECTION("a torn frame") {
    std::string_view torn(bytes.data(), bytes.size() - 1);
    CHECK_FALSE(decode_frame(torn));
    CHECK(torn.size() == bytes.size() - 1);
  }
  SECTION("a flipped bit") {
    auto damaged = bytes;
    damaged[damaged.size() / 2] ^= 0x10;
    std::string_view view(damaged);
    CHECK_FALSE(decode_frame(view));
  }
  SECTION("zeros, as in a preallocated tail") {
    std::string zeros(64, '\0');
    std::string_view view(zeros);
    CHECK_FALSE(decode_frame(view));
  }
}

TEST_CASE("C6 the log replays every frame after the applied lsn, in order, across segments", "[storage][wal]") {
  temp_dir dir;
  {
    // Tiny segments: every frame past the first starts a new one.
    write_ahead_log log(dir.path(), 1, 1);
    for (std::uint64_t lsn = 1; lsn <= 5; ++lsn) {
      REQUIRE(log.next_lsn() == lsn);
      REQUIRE_FALSE(log.append(frame_of(lsn, put("k" + std::to_string(lsn), "v"), lsn * 10)));
    }
    CHECK(segments(dir.path()).size() == 5);

    SECTION("released segments are gone, the rest still replay") {
      log.release_through(3);
      CHECK(segments(dir.path()).size() == 2);
      auto frames = replay_all(dir.path(), 3);
      REQUIRE(frames.size() == 2);
      CHECK(frames[0].lsn == 4);
      CHECK(frames[1].records[0].key == "k5");
      return;
    }
  }
  auto frames = replay_all(dir.path());
  REQUIRE(frames.size() == 5);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CHECK(frames[i].lsn == i + 1);
    CHECK(frames[i].high_id == (i + 1) * 10);
  }
  CHECK(write_ahead_log::replay(dir.path(), 2, [](wal_frame&&) {}) == 5);
  CHECK(replay_all(dir.path(), 2).size() == 3);
  CHECK(replay_all(dir.path(), 5).empty());

  SECTION("a lost segment in the middle is refused, not skipped") {
    fs::remove(segments(dir.path())[2]);
    CHECK_THROWS_AS(replay_all(dir.path()), wal_error);
  }
}

TEST_CASE("C6 a torn tail ends the log at the last whole frame", "[storage][wal]") {
  temp_dir dir;
  {
    write_ahead_log log(dir.path(), 1, std::size_t{1} << 20);
    for (std::uint64_t lsn = 1; lsn <= 3; ++lsn)
      REQUIRE_FALSE(log.append(frame_of(lsn, put("k", std::string(100, 'x')))));
  }
  // The open segment was allocated ahead; closing the log gave the tail back.
  auto segment = segments(dir.path()).at(0);
  CHECK(replay_all(dir.path()).size() == 3);
  auto size = 3 * frame_of(1, put("k", std::string(100, 'x'))).size();
  CHECK(fs::file_size(segment) == size);
  fs::resize_file(segment, size - 10);
  CHECK(replay_all(dir.path()).size() == 2);
  // Zeros past the end, as a crash after the size grew but before the data landed.
  fs::resize_file(segment, size + 4096);
  CHECK(replay_all(dir.path()).size() == 2);
  // The replay gives back what follows the last whole frame (the segment
  // stays, for watchers).
  CHECK(fs::file_size(segment) == 2 * size / 3);
}

TEST_CASE("C6 after a failed append the frame's lsn is reused and its old bytes are never read", "[storage][wal]") {
  temp_dir dir;
  {
    // As the writer leaves things after a failed append of frame 3: the
    // bytes of that frame may be on disk, and a new segment begins at 3.
    write_ahead_log before(dir.path(), 1, std::size_t{1} << 20);
    for (std::uint64_t lsn = 1; lsn <= 3; ++lsn) REQUIRE_FALSE(before.append(frame_of(lsn, put("k", "failed"))));
  }
  {
    write_ahead_log after(dir.path(), 3, std::size_t{1} << 20);
    REQUIRE_FALSE(after.append(frame_of(3, put("k", "acknowledged"))));
  }
  auto frames = replay_all(dir.path());
  REQUIRE(frames.size() == 3);
  CHECK(frames[2].records[0].value == std::string("acknowledged"));
}
