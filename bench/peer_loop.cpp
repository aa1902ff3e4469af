#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <thread>
#include <vector>

#include "peer_store.hpp"

namespace roster::bench {
namespace {

using clock_type = std::chrono::steady_clock;

// (team, user) pairs as Roster's invite_accept draws them, each once, passing
// over the data set's members: team g mod T, user (g/T + g) mod N, 1-based.
std::atomic<std::uint64_t> next_pair{0};

struct pair {
  std::uint64_t team, user;
};

pair draw_pair(unsigned users) {
  std::uint64_t teams = users / 10;
  while (true) {
    auto g = next_pair.fetch_add(1, std::memory_order_relaxed);
    pair p{g % teams + 1, (g / teams + g) % users + 1};
    bool member = false;
    for (unsigned k = 0; k < 10 && !member; ++k) member = peer_member(p.team, k, users) == p.user;
    if (!member) return p;
  }
}

std::uint32_t micros_since(clock_type::time_point start) {
  return static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - start).count());
}

// One connection's closed loop until `deadline`, then its calls drain.
void drive(peer_connection& peer, unsigned users, unsigned in_flight, clock_type::time_point deadline,
           measurement& out) {
  struct call {
    bool accept;
    clock_type::time_point start;  // of the operation: the invitation's sending
    std::uint64_t user;
  };
  std::deque<call> sent;
  auto invite = [&] {
    auto p = draw_pair(users);
    peer.send_invite(p.team, p.user);
    sent.push_back({false, clock_type::now(), p.user});
  };
  for (unsigned k = 0; k < in_flight; ++k) invite();
  while (!sent.empty()) {
    auto answer = peer.next_answer();
    auto c = sent.front();
    sent.pop_front();
    if (!c.accept && answer.error.empty()) {
      peer.send_accept(answer.value, c.user);
      sent.push_back({true, c.start, c.user});
      continue;
    }
    Error refused{ErrorCode::unavailable, answer.error};
    out.count(answer.error.empty() ? nullptr : &refused, 1, micros_since(c.start));
    if (clock_type::now() < deadline) invite();
  }
}

}  // namespace

void peer_failed(const char* store, const std::string& what) {
  std::fprintf(stderr, "roster-bench: %s: %s\n", store, what.c_str());
  std::exit(1);
}

measurement run_peer_invite_accept(const options& opt, const peer_store& store, unsigned in_flight) {
  std::vector<measurement> per_connection(opt.connections);
  std::vector<std::unique_ptr<peer_connection>> connections;
  for (unsigned c = 0; c < opt.connections; ++c) connections.push_back(store.connect());
  auto start = clock_type::now();
  auto deadline = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
  // A thread a connection: the peers' client libraries block on each answer.
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < opt.connections; ++c)
    threads.emplace_back([&, c] { drive(*connections[c], opt.users, in_flight, deadline, per_connection[c]); });
  for (auto& t : threads) t.join();

  measurement total;
  total.workload = "invite_accept";
  total.connections = opt.connections;
  total.threads = opt.connections;
  total.in_flight = in_flight;
  total.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  total.add_up(per_connection);
  return total;
}

}  // namespace roster::bench
