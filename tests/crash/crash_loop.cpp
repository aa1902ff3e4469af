// The crash loop (SPEC C6, C5): several clients make changes of every kind
// — users, teams, invitations, projects, grants, transfers, removals — and
// check access between them; rosterd is killed with SIGKILL at a random
// moment, restarted on the same data, and everything is read back:
//  - every acknowledged change is there (the server equals the model);
//  - the change each client had in flight is wholly there or wholly absent
//    (a removal or team deletion may finish after the restart: it is given
//    time to);
//  - derived copies equal their owners (inboxes, the projects' copies of
//    team members seen through check(), the lookup index).
// Each client owns its users, teams and projects, so its model is exact.
//
//   roster-crash-loop [--cycles N] [--clients K] [--min-ms A] [--max-ms B]
//                     [--seed S] [--data DIR]
// Exits 0 when every cycle held, 1 at the first that did not (with what
// differed), 2 on bad arguments.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crash/observe.hpp"
#include "crash/world.hpp"
#include "roster/client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using namespace roster::crash;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

struct options {
  int cycles = 100;
  int clients = 4;
  int min_ms = 20;
  int max_ms = 1500;
  unsigned seed = std::random_device{}();
  std::string data;
};

struct worker {
  std::string prefix;
  std::mt19937 random;
  world model;
  int serial = 0;
  std::optional<change> in_doubt;  // sent, not acknowledged when the server died
  std::uint64_t acknowledged = 0;  // changes, over all cycles
  std::uint64_t checks = 0;
  std::string failure;  // what the server did that the model forbids
};

enum class outcome { acknowledged, refused, unknown };

// Sends `c`; fills `c.created` when the server answers an id.
outcome execute(Client& client, change& c, Error& error) {
  auto as = [&](Id user) { return client.act_as(user); };
  auto settle = [&](auto&& result) {
    if (result) return outcome::acknowledged;
    error = result.error();
    return error.code == ErrorCode::unavailable ? outcome::unknown : outcome::refused;
  };
  auto settle_id = [&](auto&& result) {
    if (result) c.created = *result;
    return settle(result);
  };
  const ProjectAccess view{{Level{"", "view"}}, false, false};
  switch (c.kind) {
    case change_kind::add_user:
      return settle_id(client.add_user(c.name, c.name + "@example.org"));
    case change_kind::remove_user:
      return settle(client.as_service().remove_user(c.user));
    case change_kind::create_team:
      return settle_id(as(c.actor).create_team(c.name));
    case change_kind::delete_team:
      return settle(as(c.actor).delete_team(c.team));
    case change_kind::invite_to_team:
      return settle_id(
          as(c.actor).invite_to_team(c.team, c.name, MemberFlags{c.invitation.view_datasets, c.invitation.view_code}));
    case change_kind::remove_member:
      return settle(as(c.actor).remove_from_team(c.team, c.user));
    case change_kind::leave_team:
      return settle(as(c.actor).leave_team(c.team));
    case change_kind::transfer_team:
      return settle(as(c.actor).transfer_team(c.team, c.user));
    case change_kind::create_project:
      return settle_id(as(c.actor).create_project(c.name));
    case change_kind::delete_project:
      return settle(as(c.actor).delete_project(c.project));
    case change_kind::grant_team:
      return settle(as(c.actor).grant_team(c.project, c.team, view));
    case change_kind::revoke_team:
      return settle(as(c.actor).revoke(c.project, GrantSubject::of_team(c.team)));
    case change_kind::invite_to_project:
      return settle_id(as(c.actor).invite_to_project(c.project, c.name, view));
    case change_kind::revoke_user:
      return settle(as(c.actor).revoke(c.project, GrantSubject::of_user(c.user)));
    case change_kind::transfer_project:
      return settle(as(c.actor).transfer_project(c.project, c.user));
    case change_kind::accept:
      return settle(as(c.actor).accept_invitation(c.invitation_id));
    case change_kind::reject:
      return settle(as(c.actor).reject_invitation(c.invitation_id));
    case change_kind::cancel:
      return settle(as(c.actor).cancel_invitation(c.invitation_id));
  }
  return outcome::refused;
}

template <class Map>
const typename Map::value_type& any_entry(const Map& map, std::mt19937& random) {
  auto at = std::uniform_int_distribution<std::size_t>(0, map.size() - 1)(random);
  return *std::next(map.begin(), static_cast<std::ptrdiff_t>(at));
}

// Changes and checks until the server goes away (or the model is broken).
void run_load(worker& w, const std::string& address, const std::string& token) {
  auto connected = Client::connect(address, token);
  if (!connected) return;  // killed before this client got in
  Client& client = connected.value();
  for (;;) {
    change c = choose_change(w.model, w.random, w.prefix, ++w.serial);
    Error error;
    switch (execute(client, c, error)) {
      case outcome::acknowledged:
        apply(w.model, c);
        ++w.acknowledged;
        break;
      case outcome::unknown:
        w.in_doubt = c;
        return;
      case outcome::refused:
        w.failure =
            "the server refused " + c.describe() + ": " + std::string(to_string(error.code)) + ": " + error.message;
        return;
    }
    // C5: checks that start after an acknowledgement see the change.
    if (w.model.users.empty() || w.model.projects.empty()) continue;
    for (int i = 0; i < 3; ++i) {
      Id user = any_entry(w.model.users, w.random).second;
      Id project = any_entry(w.model.projects, w.random).first;
      auto allowed = client.check(user, project, "view_outputs");
      if (!allowed) {
        if (allowed.error().code == ErrorCode::unavailable) return;
        w.failure = "check failed: " + allowed.error().message;
        return;
      }
      ++w.checks;
      if (*allowed != may_view(w.model, user, project)) {
        w.failure = "check(" + std::to_string(user) + ", " + std::to_string(project) + ") answered " +
                    (*allowed ? "allowed" : "denied") + " against the model";
        return;
      }
    }
  }
}

// The id the in-doubt change created, if the server holds it.
Id created_by(const change& c, const world& model, const world& seen) {
  switch (c.kind) {
    case change_kind::add_user: {
      auto it = seen.users.find(c.name);
      return it == seen.users.end() ? 0 : it->second;
    }
    case change_kind::create_team:
      for (const auto& [id, team] : seen.teams)
        if (team.name == c.name && !model.teams.count(id)) return id;
      return 0;
    case change_kind::create_project:
      for (const auto& [id, project] : seen.projects)
        if (project.name == c.name && !model.projects.count(id)) return id;
      return 0;
    default:
      return 0;  // invitation ids are learnt with the rest of `seen`
  }
}

struct verdict {
  bool held = false;
  bool in_doubt_landed = false;
  std::string report;
};

// Reads back `w`'s world and compares it with the model, before and after
// the in-doubt change. On success the model becomes what was seen (same
// facts, and the ids of invitations the model did not know).
verdict verify(Client& client, worker& w) {
  const bool may_still_finish = w.in_doubt && resumes_after_restart(w.in_doubt->kind);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(may_still_finish ? 20 : 0);
  for (;;) {
    verdict v;
    auto observed = observe(client, w.model, w.in_doubt ? &*w.in_doubt : nullptr);
    std::string unlike_before = difference(w.model, observed.seen);
    std::string unlike_after;
    if (observed.broken.empty() && unlike_before.empty()) v.held = true;
    if (!v.held && w.in_doubt) {
      world after = w.model;
      change landed = *w.in_doubt;
      landed.created = created_by(landed, w.model, observed.seen);
      apply(after, landed);
      unlike_after = difference(after, observed.seen);
      v.held = v.in_doubt_landed = observed.broken.empty() && unlike_after.empty();
    }
    if (v.held) {
      w.model = std::move(observed.seen);
      w.in_doubt.reset();
      return v;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      v.report = "client " + w.prefix + ":\n";
      for (const auto& line : observed.broken) v.report += "  " + line + "\n";
      v.report += " against the acknowledged changes:\n" + unlike_before;
      if (w.in_doubt) v.report += " against them and " + w.in_doubt->describe() + " (in doubt):\n" + unlike_after;
      return v;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int usage(const char* why) {
  std::cerr << "roster-crash-loop: " << why << "\n"
            << "usage: roster-crash-loop [--cycles N] [--clients K] [--min-ms A] [--max-ms B] "
               "[--seed S] [--data DIR]\n";
  return 2;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + arg).c_str());
    std::string value = argv[++i];
    try {
      if (arg == "--cycles")
        opt.cycles = std::stoi(value);
      else if (arg == "--clients")
        opt.clients = std::stoi(value);
      else if (arg == "--min-ms")
        opt.min_ms = std::stoi(value);
      else if (arg == "--max-ms")
        opt.max_ms = std::stoi(value);
      else if (arg == "--seed")
        opt.seed = static_cast<unsigned>(std::stoul(value));
      else if (arg == "--data")
        opt.data = value;
      else
        return usage(("unknown argument " + arg).c_str());
    } catch (const std::exception&) {
      return usage(("not a number: " + value).c_str());
    }
  }
  if (opt.cycles < 1 || opt.clients < 1 || opt.min_ms < 0 || opt.max_ms < opt.min_ms)
    return usage("need cycles ≥ 1, clients ≥ 1 and 0 ≤ min-ms ≤ max-ms");

  std::unique_ptr<temp_dir> scratch;
  if (opt.data.empty()) {
    scratch = std::make_unique<temp_dir>();
    opt.data = scratch->path() + "/data";
  }
  std::cout << "crash loop: " << opt.cycles << " cycles, " << opt.clients << " clients, kill after " << opt.min_ms
            << "-" << opt.max_ms << " ms, seed " << opt.seed << ", data " << opt.data << std::endl;

  std::mt19937 random(opt.seed);
  std::vector<worker> workers(static_cast<std::size_t>(opt.clients));
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i].prefix = "w" + std::to_string(i);
    workers[i].random.seed(random());
  }
  server_process server(opt.data);
  std::uint64_t in_doubt_landed = 0, in_doubt_absent = 0;
  try {
    server.start();
    for (int cycle = 1; cycle <= opt.cycles; ++cycle) {
      std::vector<std::thread> threads;
      for (auto& w : workers) threads.emplace_back(run_load, std::ref(w), server.address(), server.token());
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(opt.min_ms, opt.max_ms)(random)));
      server.kill_hard();
      for (auto& t : threads) t.join();
      for (const auto& w : workers)
        if (!w.failure.empty()) {
          std::cout << "cycle " << cycle << ": FAILED while the server ran: client " << w.prefix << ": " << w.failure
                    << std::endl;
          return 1;
        }

      auto restart = std::chrono::steady_clock::now();
      server.start();
      auto connected = Client::connect(server.address(), server.token());
      if (!connected) {
        std::cout << "cycle " << cycle << ": FAILED: cannot connect after the restart: " << connected.error().message
                  << std::endl;
        return 1;
      }
      double restart_s = seconds_since(restart);
      auto verifying = std::chrono::steady_clock::now();
      int doubts = 0, landed = 0;
      for (auto& w : workers) {
        doubts += w.in_doubt.has_value();
        auto v = verify(connected.value(), w);
        if (!v.held) {
          std::cout << "cycle " << cycle << ": FAILED after the restart: " << v.report << std::flush;
          return 1;
        }
        landed += v.in_doubt_landed;
      }
      in_doubt_landed += static_cast<std::uint64_t>(landed);
      in_doubt_absent += static_cast<std::uint64_t>(doubts - landed);
      std::uint64_t acknowledged = 0, checks = 0;
      std::size_t users = 0, teams = 0, projects = 0;
      for (const auto& w : workers) {
        acknowledged += w.acknowledged;
        checks += w.checks;
        users += w.model.users.size();
        teams += w.model.teams.size();
        projects += w.model.projects.size();
      }
      std::printf(
          "cycle %d: %llu changes acknowledged in all, %llu checks; in doubt %d (%d there); "
          "now %zu users, %zu teams, %zu projects; restart %.2f s, verified in %.2f s\n",
          cycle, static_cast<unsigned long long>(acknowledged), static_cast<unsigned long long>(checks), doubts, landed,
          users, teams, projects, restart_s, seconds_since(verifying));
      std::fflush(stdout);
    }
    // Last, a clean stop keeps everything too.
    int status = server.stop();
    if (status != 0) {
      std::cout << "FAILED: rosterd exited with " << status << " on SIGTERM" << std::endl;
      return 1;
    }
    server.start();
    auto connected = Client::connect(server.address(), server.token());
    if (!connected) {
      std::cout << "FAILED: cannot connect after the clean restart" << std::endl;
      return 1;
    }
    for (auto& w : workers) {
      auto v = verify(connected.value(), w);
      if (!v.held) {
        std::cout << "FAILED after the clean restart: " << v.report << std::flush;
        return 1;
      }
    }
    server.stop();
  } catch (const std::exception& e) {
    std::cout << "FAILED: " << e.what() << std::endl;
    return 1;
  }
  std::uint64_t acknowledged = 0;
  for (const auto& w : workers) acknowledged += w.acknowledged;
  std::cout << "crash loop: " << opt.cycles << " cycles held: " << acknowledged
            << " acknowledged changes, 0 lost; changes in doubt " << in_doubt_landed << " there, " << in_doubt_absent
            << " absent, none half-done" << std::endl;
  return 0;
}
