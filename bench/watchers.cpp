#include "watchers.hpp"

#include <chrono>
#include <cstdio>

#include "roster/client.hpp"

namespace roster::bench {

namespace {

// A change of its own, so that a watch has a revision to start after (or a
// change to end on).
std::uint64_t add_marker_user(Client& client, const char* what) {
  auto name = what + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  if (auto added = client.add_user(name, name + "@example.org"); !added)
    std::fprintf(stderr, "roster-bench: cannot add %s: %s\n", name.c_str(), added.error().message.c_str());
  return client.revision();
}

}  // namespace

change_watchers::change_watchers(const options& opt, const std::string& token, unsigned count)
    : connect_(opt.connect), token_(token) {
  auto client = Client::connect(connect_, token_);
  if (!client) {
    std::fprintf(stderr, "roster-bench: watchers cannot connect: %s\n", client.error().message.c_str());
    return;
  }
  auto start = add_marker_user(*client, "watchstart");
  for (unsigned i = 0; i < count; ++i) {
    threads_.emplace_back([this, start] {
      auto watching = Client::connect(connect_, token_);
      if (!watching) return;
      auto watched = watching->watch(start, [this](const std::vector<Change>& changes) {
        seen_ += changes.size();
        return !stopping_.load();
      });
      if (!watched) std::fprintf(stderr, "roster-bench: a watch ended: %s\n", watched.error().message.c_str());
    });
  }
}

change_watchers::~change_watchers() {
  stopping_ = true;
  if (auto client = Client::connect(connect_, token_)) add_marker_user(*client, "watchstop");
  for (auto& t : threads_) t.join();
}

}  // namespace roster::bench
