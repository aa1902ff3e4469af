#include "item_loader.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <thread>
#include <vector>

#include "connection.hpp"

namespace roster::bench {
namespace {

// Items in flight across all connections. Enough to keep both of the
// server's cores busy and its commit groups large; a team item has one
// call in flight at a time.
constexpr unsigned items_in_flight = 512;
constexpr unsigned loader_connections = 8;

}  // namespace

double load_items(const options& opt, const std::string& token, unsigned count, const item_chain& chain) {
  const unsigned threads_used = std::max(1u, std::min(opt.threads, loader_connections));
  const unsigned window = items_in_flight / loader_connections;
  std::atomic<unsigned> next{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < threads_used; ++t)
    threads.emplace_back([&, t] {
      std::deque<Client> clients;  // a deque: starters refer to its elements
      for (unsigned c = t; c < loader_connections; c += threads_used) clients.push_back(connect_or_die(opt, token));
      std::function<void(Client&)> start_next = [&](Client& client) {
        auto item = next.fetch_add(1, std::memory_order_relaxed);
        if (item >= count) return;
        chain(client, item, [&start_next, &client] { start_next(client); });
      };
      for (auto& client : clients)
        for (unsigned w = 0; w < window; ++w) start_next(client);
      for (auto& client : clients) client.run_until_idle();  // one loop: waiting on one runs them all
    });
  for (auto& thread : threads) thread.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace roster::bench
