// A real rosterd in a child process, on a free loopback port, with its data
// in a temporary directory — for end-to-end and crash tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace roster::testing {

class server_process {
 public:
  // `data_dir` is kept across restarts; the process is not started yet.
  // `flags`: more rosterd flags, as --name=value. `launcher`: a command
  // that runs rosterd with its arguments (for instance prlimit and its
  // options, ending in --); empty: rosterd is run directly.
  explicit server_process(std::string data_dir, std::vector<std::string> flags = {},
                          std::vector<std::string> launcher = {});
  ~server_process();

  // Starts rosterd and waits until it listens. Throws when it does not.
  void start();
  // SIGKILL, then reaps the child.
  void kill_hard();
  // SIGTERM; returns the exit status (0 for a clean stop).
  int stop();

  const std::string& address() const { return address_; }
  // HOST:PORT of the metrics endpoint, when started with --metrics-listen.
  const std::string& metrics_address() const { return metrics_address_; }
  const std::string& token() const { return token_; }
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  std::string data_dir_;
  std::vector<std::string> flags_;
  std::vector<std::string> launcher_;
  std::string address_;
  std::string metrics_address_;
  std::string token_;
  pid_t pid_ = -1;
};

}  // namespace roster::testing
