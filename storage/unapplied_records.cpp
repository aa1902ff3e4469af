#include "storage/unapplied_records.hpp"

#include <mutex>

namespace roster::storage {

void unapplied_records::add(std::uint64_t lsn, const std::vector<write_batch>& batches) {
  std::unique_lock<std::shared_mutex> guard(mutex_);
  for (auto& batch : batches)
    for (auto& record : batch) records_.insert_or_assign(record.key, held{record.value, lsn});
}

void unapplied_records::forget(std::uint64_t applied_lsn, const std::vector<write_batch>& batches) {
  std::unique_lock<std::shared_mutex> guard(mutex_);
  for (auto& batch : batches)
    for (auto& record : batch) {
      auto it = records_.find(record.key);
      if (it != records_.end() && it->second.lsn <= applied_lsn) records_.erase(it);
    }
}

unapplied_records::lookup unapplied_records::find(std::string_view key) const {
  std::shared_lock<std::shared_mutex> guard(mutex_);
  auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  return it->second.value;
}

std::vector<unapplied_records::range_entry> unapplied_records::with_prefix(std::string_view prefix) const {
  std::vector<range_entry> found;
  std::shared_lock<std::shared_mutex> guard(mutex_);
  for (auto it = records_.lower_bound(prefix); it != records_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it)
    found.emplace_back(it->first, it->second.value);
  return found;
}

}  // namespace roster::storage
