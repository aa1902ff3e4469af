#include "storage/unapplied_records.hpp"

#include <algorithm>
#include <mutex>

namespace roster::storage {
namespace {

// Debian's abseil has its own string_view, which the maps look up by.
absl::string_view view(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

void unapplied_records::add(std::uint64_t lsn, const std::vector<write_batch>& batches) {
  std::unique_lock<writer_first_lock> guard(mutex_);
  for (auto& batch : batches)
    for (auto& record : batch) {
      auto [it, inserted] = records_.insert_or_assign(record.key, held{record.value, lsn});
      if (!inserted) continue;
      auto group = groups_.find(view(group_of(record.key)));
      if (group == groups_.end()) group = groups_.try_emplace(std::string(group_of(record.key))).first;
      group->second.insert(record.key);
    }
}

void unapplied_records::forget(std::uint64_t applied_lsn, const std::vector<write_batch>& batches) {
  std::unique_lock<writer_first_lock> guard(mutex_);
  for (auto& batch : batches)
    for (auto& record : batch) {
      auto it = records_.find(record.key);
      if (it == records_.end() || it->second.lsn > applied_lsn) continue;
      records_.erase(it);
      auto group = groups_.find(view(group_of(record.key)));
      group->second.erase(view(record.key));
      if (group->second.empty()) groups_.erase(group);
    }
}

unapplied_records::lookup unapplied_records::find(std::string_view key) const {
  std::shared_lock<writer_first_lock> guard(mutex_);
  auto it = records_.find(view(key));
  if (it == records_.end()) return std::nullopt;
  return it->second.value;
}

std::vector<unapplied_records::range_entry> unapplied_records::with_prefix(std::string_view prefix) const {
  std::vector<range_entry> found;
  auto matches = [&](std::string_view key) { return key.substr(0, prefix.size()) == prefix; };
  {
    std::shared_lock<writer_first_lock> guard(mutex_);
    if (prefix.size() >= group_width) {
      // Every key with this prefix shares its group.
      if (auto group = groups_.find(view(group_of(prefix))); group != groups_.end())
        for (auto& key : group->second)
          if (matches(key)) found.emplace_back(key, records_.find(view(key))->second.value);
    } else {
      for (auto& [key, record] : records_)
        if (matches(key)) found.emplace_back(key, record.value);
    }
  }
  // std::string compares as unsigned bytes (char_traits<char>), as LMDB does.
  std::sort(found.begin(), found.end(), [](const range_entry& a, const range_entry& b) { return a.first < b.first; });
  return found;
}

}  // namespace roster::storage
