#include "actors/support/free_memory.hpp"

#include <dlfcn.h>
#include <malloc.h>

#include <cstddef>

namespace roster::actors {
namespace {

using mallctl_fn = int (*)(const char*, void*, std::size_t*, void*, std::size_t);

// jemalloc's control entry point if the process runs on jemalloc, looked up
// at run time: the actors library is also embedded in programs that do not.
mallctl_fn jemalloc_control() {
  static const auto found = reinterpret_cast<mallctl_fn>(::dlsym(RTLD_DEFAULT, "mallctl"));
  return found;
}

}  // namespace

void return_free_memory() {
  if (auto mallctl = jemalloc_control()) {
    // 4096 is MALLCTL_ARENAS_ALL: every arena.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return;
  }
  ::malloc_trim(0);
}

}  // namespace roster::actors
