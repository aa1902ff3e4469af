// roster-bench: load generator for a running rosterd, through the public
// client library. Loads a data set of the baselines' shape, then runs each
// workload at each in-flight level (closed loop) or at a fixed rate (open
// loop) and reports throughput and latency percentiles.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

#include "data_set.hpp"
#include "embedded.hpp"
#include "peer_store.hpp"
#include "report.hpp"
#include "server_cpu.hpp"
#include "watchers.hpp"
#include "workloads.hpp"

namespace {

std::string read_token(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  return token;
}

// Runs `run` and adds the server's CPU time and context switches over it,
// when --server-pid says where the server is.
template <class Run>
roster::bench::measurement measured(const roster::bench::options& opt, Run run) {
  using namespace roster::bench;
  auto cpu_before = process_cpu_seconds(opt.server_pid);
  auto switches_before = process_context_switches(opt.server_pid);
  auto m = run();
  auto cpu_after = process_cpu_seconds(opt.server_pid);
  auto switches_after = process_context_switches(opt.server_pid);
  if (cpu_before && cpu_after) m.server_cpu_seconds = *cpu_after - *cpu_before;
  if (switches_before && switches_after) m.server_switches = static_cast<double>(*switches_after - *switches_before);
  return m;
}

// --peer: the two-call invite_accept on Redis or PostgreSQL, same report.
int run_peer(const roster::bench::options& opt) {
  using namespace roster::bench;
  if (opt.workloads != std::vector<std::string>{"invite_accept"} || opt.rate > 0 || opt.peer_address.empty()) {
    std::fprintf(stderr, "roster-bench: --peer runs --workload invite_accept closed loop, with --peer-address\n");
    return 2;
  }
  auto store = opt.peer == "redis" ? redis_store(opt.peer_address) : postgres_store(opt.peer_address);
  store.load(opt.users);
  std::vector<measurement> runs;
  if (!opt.json) print_table_header();
  for (auto level : opt.in_flight) {
    runs.push_back(measured(opt, [&] { return run_peer_invite_accept(opt, store, level); }));
    if (!opt.json) print_table_row(runs.back());
  }
  if (opt.json) std::printf("%s\n", to_json(runs).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace roster::bench;
  options opt;
  CLI::App app{"roster-bench: load a data set into rosterd and measure workloads"};
  app.add_option("--connect", opt.connect, "HOST:PORT of rosterd");
  app.add_option("--token-file", opt.token_file, "the service token");
  app.add_option("--connections", opt.connections, "client connections")->check(CLI::Range(1u, 256u));
  app.add_option("--threads", opt.threads, "client threads; the connections are spread over them (default 1)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--in-flight", opt.in_flight, "calls in flight per connection; several (1,8,64) make a sweep")
      ->delimiter(',')
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--rate", opt.rate, "open loop: operations per second in all (latency from intended start)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--duration", opt.duration, "seconds per workload and level")->check(CLI::PositiveNumber);
  app.add_option("--users", opt.users, "data set size N (N users, N/10 teams, N/10 projects)");
  app.add_option("--embedded", opt.embedded,
                 "run Roster in this process on this data directory (for embedded_check) instead of --connect");
  app.add_option("--big-team", opt.big_team, "also load one team of this many members (for invite_big_team)");
  app.add_option("--workload", opt.workloads,
                 "ping, check, check_bulk, invite_accept, mixed, invite_big_team, embedded_check (repeatable)")
      ->delimiter(',');
  app.add_option("--peer", opt.peer, "drive redis or postgres through invite_accept's two-call loop, not Roster")
      ->check(CLI::IsMember({"redis", "postgres"}));
  app.add_option("--peer-address", opt.peer_address, "with --peer: HOST:PORT (redis) or a libpq connection string");
  app.add_option("--watchers", opt.watchers, "clients that watch every change while the workloads run (C8)");
  app.add_option("--server-pid", opt.server_pid,
                 "the server's process here: each run reports its CPU and context switches per call");
  app.add_flag("--json", opt.json, "print JSON instead of a table");
  app.add_option("--svg", opt.svg, "write a chart of throughput and p99 by in-flight level");
  CLI11_PARSE(app, argc, argv);
  for (const auto& w : opt.workloads)
    if (!known_workload(w) && w != "embedded_check") {
      std::fprintf(stderr, "roster-bench: unknown workload '%s'\n", w.c_str());
      return 2;
    } else if (w == "invite_big_team" && opt.big_team == 0) {
      std::fprintf(stderr, "roster-bench: invite_big_team needs --big-team N\n");
      return 2;
    } else if (w == "embedded_check" && opt.embedded.empty()) {
      std::fprintf(stderr, "roster-bench: embedded_check needs --embedded DIR\n");
      return 2;
    }
  if (!opt.peer.empty()) return run_peer(opt);
  std::unique_ptr<roster::EmbeddedServer> embedded;
  if (!opt.embedded.empty()) {
    auto opened = roster::EmbeddedServer::open({opt.embedded, "127.0.0.1:0", ""});
    if (!opened) {
      std::fprintf(stderr, "roster-bench: %s\n", opened.error().message.c_str());
      return 1;
    }
    embedded = std::move(opened).value();
    opt.connect = embedded->address();
    opt.token_file = opt.embedded + "/service.token";
  }
  auto token = read_token(opt.token_file);
  auto load_start = std::chrono::steady_clock::now();
  auto data = load(opt, token);
  double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  warm_up(opt, token, data);
  if (!opt.json)
    std::printf("loaded %zu users, %zu teams, %zu projects in %.1f s\n", data.users.size(), data.teams.size(),
                data.projects.size(), load_seconds);
  if (!opt.json) {
    std::printf("load phases:");
    for (const auto& [phase, seconds] : data.load_seconds) std::printf(" %s %.1f s", phase.c_str(), seconds);
    std::printf("\n");
  }

  std::unique_ptr<change_watchers> watchers;
  if (opt.watchers > 0) watchers = std::make_unique<change_watchers>(opt, token, opt.watchers);
  std::vector<measurement> runs;
  if (!opt.json) print_table_header();
  auto levels = opt.rate > 0 ? std::vector<unsigned>{0} : opt.in_flight;
  for (const auto& w : opt.workloads)
    for (auto level : levels) {
      if (w == "embedded_check" && level != levels.front()) continue;  // one call at a time per thread
      runs.push_back(w == "embedded_check" ? run_embedded_check(opt, *embedded, data)
                                           : measured(opt, [&] { return run_workload(opt, token, w, level, data); }));
      if (!opt.json) print_table_row(runs.back());
    }
  if (watchers) {
    std::fprintf(stderr, "roster-bench: %u watchers were sent %llu changes\n", opt.watchers,
                 static_cast<unsigned long long>(watchers->changes_seen()));
    watchers.reset();
  }
  if (opt.json) std::printf("%s\n", to_json(runs).c_str());
  if (!opt.svg.empty() && !write_svg(runs, opt.svg)) {
    std::fprintf(stderr, "roster-bench: cannot write %s\n", opt.svg.c_str());
    return 1;
  }
  return 0;
}
