// Connecting, and stopping the run on a failure that makes figures meaningless.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_options.hpp"
#include "roster/client.hpp"

namespace roster::bench {

inline Client connect_or_die(const options& opt, const std::string& token) {
  auto client = Client::connect(opt.connect, token);
  if (!client) {
    std::fprintf(stderr, "roster-bench: cannot connect to %s: %s\n", opt.connect.c_str(),
                 client.error().message.c_str());
    std::exit(1);
  }
  return std::move(client).value();
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "roster-bench: %s failed: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

inline void must(Result<void> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "roster-bench: %s failed: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

}  // namespace roster::bench
