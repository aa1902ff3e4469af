#include "embedded.hpp"

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

namespace roster::bench {

measurement run_embedded_check(const options& opt, EmbeddedServer& server, const data_set& data) {
  using clock_type = std::chrono::steady_clock;
  std::vector<measurement> per_thread(opt.connections);
  std::atomic<bool> go{false};
  clock_type::time_point deadline;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < opt.connections; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 random(t * 7919 + 1);
      auto& out = per_thread[t];
      while (!go.load()) std::this_thread::yield();
      for (auto now = clock_type::now(); now < deadline;) {
        auto user = data.users[random() % data.users.size()];
        auto project = data.projects[random() % data.projects.size()];
        auto allowed = server.check(user, project, "view_outputs");
        auto done = clock_type::now();
        out.count(
            error_of(allowed), 1,
            static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(done - now).count()));
        now = done;
      }
    });
  auto start = clock_type::now();
  deadline = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
  go = true;
  for (auto& t : threads) t.join();

  measurement total;
  total.workload = "embedded_check";
  total.connections = opt.connections;
  total.threads = opt.connections;
  total.in_flight = 1;
  total.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  total.add_up(per_thread);
  return total;
}

}  // namespace roster::bench
