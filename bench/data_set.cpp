#include "data_set.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "connection.hpp"

namespace roster::bench {

// The formulas can draw one user (or team) twice for the same target: the
// second draw answers already_member or already_invited, and is skipped.
template <class T>
bool drawn_twice(const Result<T>& r) {
  return !r && (r.error().code == ErrorCode::already_member || r.error().code == ErrorCode::already_invited);
}

// One team of `opt.big_team` members: users 1..big_team, managed by user 0.
template <class Slices>
void load_big_team(const options& opt, const std::string& token, data_set& data, Slices& slices) {
  if (opt.big_team + 1 >= data.users.size()) {
    std::fprintf(stderr, "roster-bench: --big-team %u needs more than %u users (--users)\n", opt.big_team,
                 opt.big_team + 1);
    std::exit(2);
  }
  auto client = connect_or_die(opt, token);
  data.big_team = must(client.act_as(data.users[0]).create_team("the big team"), "create_team");
  data.big_team_size = opt.big_team;
  slices(opt.big_team, [&](Client& client, unsigned i) {
    auto member = i + 1;
    auto inv =
        client.act_as(data.users[0]).invite_to_team(data.big_team, data.usernames[member], MemberFlags{true, true});
    must(client.act_as(data.users[member]).accept_invitation(must(std::move(inv), "invite to the big team")),
         "accept the big team's invitation");
  });
}

// Each loader connection loads a slice; the formulas are those of
// shared/baselines. Every write is durable, so the loader keeps many calls
// in flight (one per connection) for the server to group their commits:
// with the measured connections only, 100,000 users took 156 s to load.
data_set load(const options& opt, const std::string& token) {
  const unsigned loaders = std::max(opt.connections, 48u);
  unsigned n = std::max(opt.users, 20u);
  unsigned team_count = n / 10, project_count = n / 10;
  // Names unique to this run, so that runs can share a server.
  std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  data_set data;
  data.users.resize(n);
  data.usernames.resize(n);
  data.teams.resize(team_count);
  data.managers.resize(team_count);
  data.projects.resize(project_count);
  auto slices = [&](unsigned count, auto body) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (unsigned c = 0; c < loaders; ++c)
      threads.emplace_back([&, c] {
        auto client = connect_or_die(opt, token);
        for (unsigned i = c; i < count; i += loaders) body(client, i);
      });
    for (auto& t : threads) t.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto users_took = slices(n, [&](Client& client, unsigned i) {
    auto name = "b" + run + "u" + std::to_string(i);
    data.usernames[i] = name;
    data.users[i] = must(client.add_user(name, name + "@bench.example.org"), "add_user");
  });
  data.load_seconds.emplace_back("users", users_took);
  auto teams_took = slices(team_count, [&](Client& client, unsigned t) {
    data.managers[t] = data.users[data.member_drawn(t, 0)];
    auto manager = client.act_as(data.managers[t]);
    data.teams[t] = must(manager.create_team("team " + std::to_string(t)), "create_team");
    for (unsigned k = 1; k < data_set::draws_per_team; ++k) {
      auto member = data.member_drawn(t, k);
      auto inv = manager.invite_to_team(data.teams[t], data.usernames[member], MemberFlags{true, true});
      if (drawn_twice(inv)) continue;
      must(client.act_as(data.users[member]).accept_invitation(must(std::move(inv), "invite to team")),
           "accept team invitation");
    }
  });
  data.load_seconds.emplace_back("teams", teams_took);
  auto projects_took = slices(project_count, [&](Client& client, unsigned p) {
    auto owner_id = data.users[p % n];
    auto owner = client.act_as(owner_id);
    data.projects[p] = must(owner.create_project("project " + std::to_string(p)), "create_project");
    static const char* levels[] = {"view", "edit", "own"};
    for (unsigned k = 0; k < 5; ++k) {
      auto user = (p * 31 + k * 7727) % n;
      if (data.users[user] == owner_id) continue;
      auto inv = owner.invite_to_project(data.projects[p], data.usernames[user], {{{"", levels[k % 3]}}, false, false});
      if (drawn_twice(inv)) continue;
      must(client.act_as(data.users[user]).accept_invitation(must(std::move(inv), "invite to project")),
           "accept project invitation");
    }
    for (unsigned k = 0; k < 2; ++k) {
      auto team = data.teams[(p * 17 + k * 389) % team_count];
      auto granted = owner.grant_team(data.projects[p], team, {{{"", levels[k % 3]}}, false, false});
      if (!drawn_twice(granted)) must(std::move(granted), "grant to team");
    }
  });
  data.load_seconds.emplace_back("projects", projects_took);
  if (opt.big_team > 0) load_big_team(opt, token, data, slices);
  return data;
}

void warm_up(const options& opt, const std::string& token, const data_set& data) {
  auto client = connect_or_die(opt, token);
  constexpr std::size_t per_call = 1000;
  for (std::size_t begin = 0; begin < data.projects.size(); begin += per_call) {
    std::vector<CheckTriple> triples;
    for (auto p = begin; p < std::min(begin + per_call, data.projects.size()); ++p)
      triples.push_back(CheckTriple{data.users[p % data.users.size()], data.projects[p], "view_outputs"});
    must(client.check_bulk(triples), "warm-up checks");
  }
}

}  // namespace roster::bench
