// What one workload at one in-flight level measured.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace roster::bench {

struct measurement {
  std::string workload;
  unsigned connections = 0;
  unsigned threads = 0;      // client threads driving them
  unsigned in_flight = 0;
  double rate = 0;           // asked for (open loop), 0 when closed
  std::uint64_t calls = 0;   // completed operations
  std::uint64_t units = 0;   // what throughput counts: checks for check_bulk, else operations
  std::uint64_t errors = 0;
  double seconds = 0;
  std::vector<std::uint32_t> latencies_us;  // sorted once finished

  double throughput() const { return seconds > 0 ? units / seconds : 0; }
  double percentile(double p) const {
    if (latencies_us.empty()) return 0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
    return latencies_us[index];
  }
  void finish() { std::sort(latencies_us.begin(), latencies_us.end()); }

  // Adds up the parts (one per connection or thread) into this one, then
  // finishes it.
  void add_up(const std::vector<measurement>& parts) {
    for (const auto& m : parts) {
      calls += m.calls;
      units += m.units;
      errors += m.errors;
      latencies_us.insert(latencies_us.end(), m.latencies_us.begin(), m.latencies_us.end());
    }
    finish();
  }
};

}  // namespace roster::bench
