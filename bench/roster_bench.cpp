// roster-bench: load generator for a running rosterd, through the public
// client library. Loads a data set of the baselines' shape, then runs each
// workload closed-loop (--connections x --in-flight) and prints throughput
// and latency; check is also given as a ratio of ping on the same setup.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "roster/client.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  std::string connect = "127.0.0.1:4100";
  std::string token_file = "./data/service.token";
  unsigned connections = 4;
  unsigned in_flight = 1;
  double duration = 5;
  unsigned users = 1000;
  std::vector<std::string> workloads{"ping", "check"};
};

struct data_set {
  std::vector<roster::Id> users;
  std::vector<roster::Id> projects;
};

struct workload_result {
  std::string name;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  double seconds = 0;
  std::vector<std::uint32_t> latencies_us;

  double throughput() const { return calls / seconds; }
  double percentile(double p) const {
    if (latencies_us.empty()) return 0;
    auto index = static_cast<std::size_t>(p * (latencies_us.size() - 1));
    return latencies_us[index];
  }
};

std::string read_token(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  return token;
}

roster::Client connect_or_die(const options& opt, const std::string& token) {
  auto client = roster::Client::connect(opt.connect, token);
  if (!client) {
    std::fprintf(stderr, "roster-bench: cannot connect to %s: %s\n", opt.connect.c_str(), client.error().message.c_str());
    std::exit(1);
  }
  return std::move(client).value();
}

template <class T>
T must(roster::Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "roster-bench: %s failed: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void must(roster::Result<void> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "roster-bench: %s failed: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

// N users, N/10 teams of 10 members, N/10 projects with 5 user grants and 2
// team grants: the shape of shared/baselines. Each connection loads a slice.
data_set load(const options& opt, const std::string& token) {
  unsigned n = std::max(opt.users, 20u);
  unsigned teams = n / 10, projects = n / 10;
  std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  data_set data;
  data.users.resize(n);
  std::vector<roster::Id> team_ids(teams);
  data.projects.resize(projects);
  auto slices = [&](unsigned count, auto body) {
    std::vector<std::thread> threads;
    for (unsigned c = 0; c < opt.connections; ++c)
      threads.emplace_back([&, c] {
        auto client = connect_or_die(opt, token);
        for (unsigned i = c; i < count; i += opt.connections) body(client, i);
      });
    for (auto& t : threads) t.join();
  };
  slices(n, [&](roster::Client& client, unsigned i) {
    auto name = "b" + run + "u" + std::to_string(i);
    data.users[i] = must(client.add_user(name, name + "@bench.example.org"), "add_user");
  });
  slices(teams, [&](roster::Client& client, unsigned t) {
    auto manager = client.act_as(data.users[(t * 7919) % n]);
    team_ids[t] = must(manager.create_team("team " + std::to_string(t)), "create_team");
    for (unsigned k = 1; k < 10; ++k) {
      auto member = data.users[(t * 7919 + k * 104729) % n];
      auto inv = manager.invite_to_team(team_ids[t], std::to_string(member), roster::MemberFlags{true, true});
      if (!inv) continue;  // the same user drawn twice
      must(client.act_as(member).accept_invitation(*inv), "accept team invitation");
    }
  });
  slices(projects, [&](roster::Client& client, unsigned p) {
    auto owner_id = data.users[p % n];
    auto owner = client.act_as(owner_id);
    data.projects[p] = must(owner.create_project("project " + std::to_string(p)), "create_project");
    static const char* levels[] = {"view", "edit", "own"};
    for (unsigned k = 0; k < 5; ++k) {
      auto user = data.users[(p * 31 + k * 7727) % n];
      if (user == owner_id) continue;
      auto inv = owner.invite_to_project(data.projects[p], std::to_string(user), {{{"", levels[k % 3]}}, false, false});
      if (!inv) continue;
      must(client.act_as(user).accept_invitation(*inv), "accept project invitation");
    }
    for (unsigned k = 0; k < 2; ++k) {
      auto team = team_ids[(p * 17 + k * 389) % teams];
      auto r = owner.grant_team(data.projects[p], team, {{{"", levels[k % 3]}}, false, false});
      (void)r;  // the same team drawn twice answers already_member
    }
  });
  return data;
}

workload_result run_workload(const options& opt, const std::string& token, const std::string& name,
                             const data_set& data) {
  std::vector<workload_result> per_connection(opt.connections);
  std::atomic<bool> go{false};
  clock_type::time_point deadline;
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < opt.connections; ++c)
    threads.emplace_back([&, c] {
      auto client = connect_or_die(opt, token);
      auto& result = per_connection[c];
      std::mt19937_64 random(c * 7919 + 1);
      while (!go.load()) std::this_thread::yield();
      std::function<void()> issue = [&] {
        auto start = clock_type::now();
        if (start >= deadline) return;
        auto finished = [&, start](bool ok) {
          auto end = clock_type::now();
          ++result.calls;
          if (!ok) ++result.errors;
          result.latencies_us.push_back(static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(end - start).count()));
          issue();
        };
        if (name == "ping") {
          client.ping_async([finished](roster::Result<void> r) { finished(r.ok()); });
        } else {
          auto user = data.users[random() % data.users.size()];
          auto project = data.projects[random() % data.projects.size()];
          client.check_async(user, project, "view_outputs", [finished](roster::Result<bool> r) { finished(r.ok()); });
        }
      };
      for (unsigned k = 0; k < opt.in_flight; ++k) issue();
      client.run_until_idle();
    });
  auto start = clock_type::now();
  deadline = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
  go = true;
  for (auto& t : threads) t.join();
  workload_result total;
  total.name = name;
  total.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  for (auto& r : per_connection) {
    total.calls += r.calls;
    total.errors += r.errors;
    total.latencies_us.insert(total.latencies_us.end(), r.latencies_us.begin(), r.latencies_us.end());
  }
  std::sort(total.latencies_us.begin(), total.latencies_us.end());
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  CLI::App app{"roster-bench: load a data set into rosterd and measure workloads"};
  app.add_option("--connect", opt.connect, "HOST:PORT of rosterd");
  app.add_option("--token-file", opt.token_file, "the service token");
  app.add_option("--connections", opt.connections, "client connections, one thread each")->check(CLI::Range(1u, 256u));
  app.add_option("--in-flight", opt.in_flight, "calls in flight per connection")->check(CLI::Range(1u, 4096u));
  app.add_option("--duration", opt.duration, "seconds per workload")->check(CLI::PositiveNumber);
  app.add_option("--users", opt.users, "data set size N (N users, N/10 teams, N/10 projects)");
  app.add_option("--workload", opt.workloads, "ping, check (repeatable; default both)");
  CLI11_PARSE(app, argc, argv);
  for (const auto& w : opt.workloads)
    if (w != "ping" && w != "check") {
      std::fprintf(stderr, "roster-bench: unknown workload '%s'\n", w.c_str());
      return 2;
    }

  auto token = read_token(opt.token_file);
  auto load_start = clock_type::now();
  auto data = load(opt, token);
  std::printf("loaded %zu users, %zu projects in %.1f s\n", data.users.size(), data.projects.size(),
              std::chrono::duration<double>(clock_type::now() - load_start).count());
  std::printf("%-8s %5s %9s %12s %9s %9s %9s %7s\n", "workload", "conns", "in_flight", "calls/s", "p50_us",
              "p99_us", "max_us", "errors");
  double ping_rate = 0, check_rate = 0;
  for (const auto& w : opt.workloads) {
    auto r = run_workload(opt, token, w, data);
    std::printf("%-8s %5u %9u %12.0f %9.0f %9.0f %9.0f %7llu\n", w.c_str(), opt.connections, opt.in_flight,
                r.throughput(), r.percentile(0.5), r.percentile(0.99), r.percentile(1.0),
                static_cast<unsigned long long>(r.errors));
    (w == "ping" ? ping_rate : check_rate) = r.throughput();
  }
  if (ping_rate > 0 && check_rate > 0) std::printf("ratio check/ping = %.2f\n", check_rate / ping_rate);
  return 0;
}
