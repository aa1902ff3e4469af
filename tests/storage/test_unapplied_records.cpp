// The records logged but not yet in LMDB (storage/unapplied_records.hpp),
// against a plain ordered map doing the same by the definition: every read a
// store serves from them must be what the log says (C6).
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/unapplied_records.hpp"

using roster::storage::unapplied_records;
using roster::storage::write_batch;

namespace {

// Keys shaped as the store's are: a kind byte, an 8-byte id, a sub-key; and
// a few short ones, shorter than a group (usernames, addresses).
std::string random_key(std::mt19937& random) {
  if (random() % 8 == 0)
    return std::string(1, 'N') + std::string(1 + random() % 5, static_cast<char>('a' + random() % 3));
  std::string key(1, "TPUB"[random() % 4]);
  for (int i = 0; i < 8; ++i) key.push_back(static_cast<char>(i == 7 ? random() % 4 : 0));
  key.push_back(static_cast<char>("MI\x01\xff"[random() % 4]));  // bytes above 0x7f sort after the rest
  key.push_back(static_cast<char>(random() % 3));
  return key;
}

struct model_record {
  std::optional<std::string> value;
  std::uint64_t lsn;
};

}  // namespace

TEST_CASE("C6 unapplied records answer lookups and ordered prefix scans as an ordered map of the log would",
          "[storage]") {
  std::mt19937 random(20261207);
  unapplied_records held;
  std::map<std::string, model_record> model;
  std::vector<std::pair<std::uint64_t, std::vector<write_batch>>> logged;  // not yet forgotten
  std::uint64_t lsn = 0;

  for (int step = 0; step < 4000; ++step) {
    if (random() % 3 != 0 || logged.empty()) {
      // A frame of one or two batches.
      std::vector<write_batch> frame(1 + random() % 2);
      for (auto& batch : frame)
        for (int r = 0, n = 1 + static_cast<int>(random() % 4); r < n; ++r) {
          auto key = random_key(random);
          std::optional<std::string> value;
          if (random() % 4 != 0) value = "v" + std::to_string(step);
          batch.push_back({key, value});
        }
      held.add(++lsn, frame);
      for (auto& batch : frame)
        for (auto& record : batch) model[record.key] = {record.value, lsn};
      logged.emplace_back(lsn, std::move(frame));
    } else {
      // LMDB took the oldest frames, through one of them.
      auto through = logged.begin() + static_cast<long>(random() % logged.size());
      auto applied = through->first;
      for (auto it = logged.begin(); it <= through; ++it) {
        held.forget(applied, it->second);
        for (auto& batch : it->second)
          for (auto& record : batch)
            if (auto m = model.find(record.key); m != model.end() && m->second.lsn <= applied) model.erase(m);
      }
      logged.erase(logged.begin(), through + 1);
    }

    auto probe = random_key(random);
    auto found = held.find(probe);
    auto expected = model.find(probe);
    REQUIRE(found.has_value() == (expected != model.end()));
    if (found) REQUIRE(*found == expected->second.value);

    // A scan by a group's prefix, by a longer one, and by one byte.
    for (auto length : {std::size_t{9}, std::size_t{10}, std::size_t{1}}) {
      auto prefix = probe.substr(0, length);
      std::vector<unapplied_records::range_entry> want;
      for (auto it = model.lower_bound(prefix); it != model.end() && it->first.compare(0, prefix.size(), prefix) == 0;
           ++it)
        want.emplace_back(it->first, it->second.value);
      REQUIRE(held.with_prefix(prefix) == want);
    }
  }
  CHECK(lsn > 2000);
}
