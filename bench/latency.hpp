// What one workload at one in-flight level measured.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <roster/result.hpp>

namespace roster::bench {

struct measurement {
  std::string workload;
  unsigned connections = 0;
  unsigned threads = 0;  // client threads driving them
  unsigned in_flight = 0;
  double rate = 0;          // asked for (open loop), 0 when closed
  std::uint64_t calls = 0;  // completed operations
  std::uint64_t units = 0;  // what throughput counts: checks for check_bulk, else operations
  std::uint64_t errors = 0;
  // What the errors were: a count per code, and the first message seen, so
  // that a run with errors says which (an expected refusal or a failure).
  std::map<ErrorCode, std::uint64_t> errors_by_code;
  std::string first_error;
  double seconds = 0;
  std::vector<std::uint32_t> latencies_us;  // sorted once finished
  double server_cpu_seconds = -1;           // the server's CPU over the run; < 0 when not measured
  double server_switches = -1;              // its threads' context switches over the run; < 0 likewise

  // The server's CPU per operation (a pair for invite_accept), or < 0.
  double server_cpu_us_per_call() const {
    return server_cpu_seconds >= 0 && calls > 0 ? server_cpu_seconds * 1e6 / static_cast<double>(calls) : -1;
  }
  // The server threads' context switches per operation: the hand-offs that
  // woke a waiting thread (a hand-off to a thread already busy costs none).
  double server_switches_per_call() const {
    return server_switches >= 0 && calls > 0 ? server_switches / static_cast<double>(calls) : -1;
  }

  double throughput() const { return seconds > 0 ? units / seconds : 0; }
  double percentile(double p) const {
    if (latencies_us.empty()) return 0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
    return latencies_us[index];
  }
  void finish() { std::sort(latencies_us.begin(), latencies_us.end()); }

  // Counts one finished operation; `error` is null when it succeeded.
  void count(const Error* error, unsigned operation_units, std::uint32_t latency_us) {
    latencies_us.push_back(latency_us);
    ++calls;
    units += operation_units;
    if (!error) return;
    ++errors;
    ++errors_by_code[error->code];
    if (first_error.empty()) first_error = error->message;
  }

  // Adds up the parts (one per connection or thread) into this one, then
  // finishes it.
  void add_up(const std::vector<measurement>& parts) {
    for (const auto& m : parts) {
      calls += m.calls;
      units += m.units;
      errors += m.errors;
      for (const auto& [code, n] : m.errors_by_code) errors_by_code[code] += n;
      if (first_error.empty()) first_error = m.first_error;
      latencies_us.insert(latencies_us.end(), m.latencies_us.begin(), m.latencies_us.end());
    }
    finish();
  }
};

// The error of `r`, or null when it succeeded.
template <class T>
const Error* error_of(const Result<T>& r) {
  return r.ok() ? nullptr : &r.error();
}

}  // namespace roster::bench
