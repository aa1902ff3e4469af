// Running part of a test in a forked child, for crash tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace roster::testing {

// Runs `body` in a forked child that ends with _exit(body()): nothing of the
// test's process is torn down there (a body that must leave its own locals
// as a crash would calls _exit itself). Returns the child's exit code, or -1
// when it did not exit normally.
inline int exit_code_of_child(const std::function<int()>& body) {
  auto child = fork();
  if (child == 0) _exit(body());
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace roster::testing
