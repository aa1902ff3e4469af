#include "support/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#ifndef ROSTERD_PATH
#error "ROSTERD_PATH must name the rosterd binary"
#endif

namespace roster::testing {

server_process::server_process(std::string data_dir, std::vector<std::string> flags, std::vector<std::string> launcher)
    : data_dir_(std::move(data_dir)), flags_(std::move(flags)), launcher_(std::move(launcher)) {}

server_process::~server_process() {
  if (running()) kill_hard();
}

void server_process::start() {
  // rosterd's stderr goes to a log beside the data; the line naming the
  // bound address tells that it listens.
  std::string log_path = data_dir_ + ".log";
  std::size_t offset = 0;
  {
    std::ifstream existing(log_path, std::ios::ate);
    if (existing) offset = static_cast<std::size_t>(existing.tellg());
  }
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // The server dies with the test that started it: a test killed by a
    // timeout or a sanitizer's halt leaves no rosterd behind, and none that
    // holds the test runner's output pipe open.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(126);
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (log >= 0) dup2(log, STDERR_FILENO);
    std::vector<std::string> args = launcher_;
    args.insert(args.end(), {ROSTERD_PATH, "--listen=127.0.0.1:0", "--data-dir=" + data_dir_});
    args.insert(args.end(), flags_.begin(), flags_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  const std::string marker = "listening on ";
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::ifstream log(log_path);
    std::string seen((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    auto at = seen.find(marker, offset);
    if (at != std::string::npos && seen.find(',', at) != std::string::npos) {
      address_ = seen.substr(at + marker.size(), seen.find(',', at) - at - marker.size());
      const std::string metrics_marker = "metrics on http://";
      if (auto m = seen.find(metrics_marker, offset); m != std::string::npos) {
        auto start = m + metrics_marker.size();
        metrics_address_ = seen.substr(start, seen.find('/', start) - start);
      }
      std::ifstream token_file(data_dir_ + "/service.token");
      std::getline(token_file, token_);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("rosterd exited before listening: " + seen.substr(offset));
    }
    usleep(10000);
  }
  kill_hard();
  throw std::runtime_error("rosterd did not listen within 10 s");
}

void server_process::kill_hard() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int server_process::stop() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // What rosterd said last (a sanitizer's report, say) is gone with the
  // test's directory: the failure shows it.
  if (code != 0) {
    std::ifstream log(data_dir_ + ".log");
    std::string said((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    std::cerr << "rosterd stopped with " << code << "; its log ends:\n"
              << said.substr(said.size() > 8192 ? said.size() - 8192 : 0) << std::endl;
  }
  return code;
}

}  // namespace roster::testing
