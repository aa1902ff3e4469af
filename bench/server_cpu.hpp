// What a server process on this machine spent (CPU time, user + system, all
// threads; context switches), read from /proc before and after a run: what
// one operation costs the server, whoever the server is (rosterd,
// redis-server; a PostgreSQL cluster's backends are other processes and are
// not covered).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace roster::bench {

inline std::optional<double> process_cpu_seconds(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // The command name (field 2) may hold spaces: fields count from its ')'.
  auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;  // state .. cmajflt
  unsigned long long user = 0, system = 0;
  if (!(fields >> user >> system)) return std::nullopt;
  return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// How many times the server's threads were switched out, voluntarily (to
// wait: for a message, a lock, a disk) or not, summed over every thread:
// each hand-off of a call to a thread that was waiting costs one. Read from
// /proc/PID/task/*/status; a thread that ended takes its count along.
inline std::optional<std::uint64_t> process_context_switches(int pid) {
  if (pid <= 0) return std::nullopt;
  std::error_code error;
  std::filesystem::directory_iterator tasks("/proc/" + std::to_string(pid) + "/task", error);
  if (error) return std::nullopt;
  std::uint64_t total = 0;
  for (const auto& task : tasks) {
    std::ifstream in(task.path() / "status");
    std::string line;
    while (std::getline(in, line)) {
      for (const char* field : {"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"})
        if (line.rfind(field, 0) == 0) total += std::stoull(line.substr(std::string(field).size()));
    }
  }
  return total;
}

}  // namespace roster::bench
