#include "data_set.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "connection.hpp"
#include "item_loader.hpp"

namespace roster::bench {
namespace {

// The formulas can draw one user (or team) twice for the same target: the
// second draw answers already_member or already_invited, and is skipped.
template <class T>
bool drawn_twice(const Result<T>& r) {
  return !r && (r.error().code == ErrorCode::already_member || r.error().code == ErrorCode::already_invited);
}

// must(), and when the server shed the call, the likely cause: more calls
// in flight than its limits (server_config.hpp) admit.
template <class T>
T must_load(Result<T> r, const char* what) {
  if (!r && r.error().code == ErrorCode::overloaded) {
    std::fprintf(stderr,
                 "roster-bench: %s: the server shed the call (overloaded); the load keeps too many calls in flight\n",
                 what);
  }
  return must(std::move(r), what);
}

const ProjectAccess& access_at(unsigned k) {
  static const ProjectAccess levels[] = {
      {{{"", "view"}}, false, false}, {{{"", "edit"}}, false, false}, {{{"", "own"}}, false, false}};
  return levels[k % 3];
}

// A team's invitations, one at a time: each invitee is invited, accepts,
// and then the next is invited; `finished` runs after the last.
struct team_filling {
  Client& client;
  data_set& data;
  Session manager;
  Id team;
  std::vector<std::size_t> invitees;  // indexes into the data set's users
  std::function<void()> finished;
  std::size_t next = 0;
};

void fill_team(const std::shared_ptr<team_filling>& filling) {
  if (filling->next == filling->invitees.size()) return filling->finished();
  auto member = filling->invitees[filling->next++];
  filling->manager.invite_to_team_async(filling->team, filling->data.usernames[member], MemberFlags{true, true},
                                        [filling, member](Result<Id> invitation) {
                                          if (drawn_twice(invitation)) return fill_team(filling);
                                          auto invitee = filling->client.act_as(filling->data.users[member]);
                                          invitee.accept_invitation_async(
                                              must_load(std::move(invitation), "invite to team"),
                                              [filling, invitee](Result<void> accepted) {
                                                must_load(std::move(accepted), "accept team invitation");
                                                fill_team(filling);
                                              });
                                        });
}

// Project p's five user invitations (each accepted) and two team grants,
// from step `k` on (0-4 invitations, 5-6 grants), then `finished`.
void fill_project(Client& client, data_set& data, Session owner, Id owner_id, std::size_t p, unsigned k,
                  std::function<void()> finished) {
  auto n = data.users.size();
  if (k == 7) return finished();
  auto go_on = [&client, &data, owner, owner_id, p, k, finished] {
    fill_project(client, data, owner, owner_id, p, k + 1, finished);
  };
  if (k >= 5) {
    auto team = data.teams[(p * 17 + (k - 5) * 389) % data.teams.size()];
    return owner.grant_team_async(data.projects[p], team, access_at(k - 5), [go_on](Result<void> granted) {
      if (!drawn_twice(granted)) must_load(std::move(granted), "grant to team");
      go_on();
    });
  }
  auto user = (p * 31 + k * 7727) % n;
  if (data.users[user] == owner_id) return go_on();
  owner.invite_to_project_async(
      data.projects[p], data.usernames[user], access_at(k), [&client, &data, user, go_on](Result<Id> invitation) {
        if (drawn_twice(invitation)) return go_on();
        auto invitee = client.act_as(data.users[user]);
        invitee.accept_invitation_async(must_load(std::move(invitation), "invite to project"),
                                        [go_on, invitee](Result<void> accepted) {
                                          must_load(std::move(accepted), "accept project invitation");
                                          go_on();
                                        });
      });
}

// One team of `opt.big_team` members: users 1..big_team, managed by user 0.
void load_big_team(const options& opt, const std::string& token, data_set& data) {
  if (opt.big_team + 1 >= data.users.size()) {
    std::fprintf(stderr, "roster-bench: --big-team %u needs more than %u users (--users)\n", opt.big_team,
                 opt.big_team + 1);
    std::exit(2);
  }
  auto client = connect_or_die(opt, token);
  data.big_team = must(client.act_as(data.users[0]).create_team("the big team"), "create_team");
  data.big_team_size = opt.big_team;
  load_items(opt, token, opt.big_team, [&data](Client& client, unsigned i, std::function<void()> finished) {
    fill_team(std::make_shared<team_filling>(
        team_filling{client, data, client.act_as(data.users[0]), data.big_team, {i + 1}, std::move(finished)}));
  });
}

}  // namespace

// Users, then teams with their members, then projects with their grants:
// each phase needs the one before. Within a phase the items load
// concurrently (item_loader.hpp); the formulas are those of shared/baselines.
data_set load(const options& opt, const std::string& token) {
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
  for (unsigned i = 0; i < n; ++i) data.usernames[i] = "b" + run + "u" + std::to_string(i);

  auto users_took = load_items(opt, token, n, [&data](Client& client, unsigned i, std::function<void()> finished) {
    const auto& name = data.usernames[i];
    client.add_user_async(name, name + "@bench.example.org", [&data, i, finished](Result<Id> user) {
      data.users[i] = must_load(std::move(user), "add_user");
      finished();
    });
  });
  data.load_seconds.emplace_back("users", users_took);

  auto teams_took =
      load_items(opt, token, team_count, [&data](Client& client, unsigned t, std::function<void()> finished) {
        data.managers[t] = data.users[data.member_drawn(t, 0)];
        auto manager = client.act_as(data.managers[t]);
        std::vector<std::size_t> invitees;
        for (unsigned k = 1; k < data_set::draws_per_team; ++k) invitees.push_back(data.member_drawn(t, k));
        manager.create_team_async(
            "team " + std::to_string(t),
            [&client, &data, manager, t, invitees = std::move(invitees), finished](Result<Id> team) mutable {
              data.teams[t] = must_load(std::move(team), "create_team");
              fill_team(std::make_shared<team_filling>(
                  team_filling{client, data, manager, data.teams[t], std::move(invitees), std::move(finished)}));
            });
      });
  data.load_seconds.emplace_back("teams", teams_took);

  auto projects_took =
      load_items(opt, token, project_count, [&data, n](Client& client, unsigned p, std::function<void()> finished) {
        auto owner_id = data.users[p % n];
        auto owner = client.act_as(owner_id);
        owner.create_project_async("project " + std::to_string(p),
                                   [&client, &data, owner, owner_id, p, finished](Result<Id> project) {
                                     data.projects[p] = must_load(std::move(project), "create_project");
                                     fill_project(client, data, owner, owner_id, p, 0, finished);
                                   });
      });
  data.load_seconds.emplace_back("projects", projects_took);
  if (opt.big_team > 0) load_big_team(opt, token, data);
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
