// The data set every workload runs on, of the shape shared/baselines uses:
// N users, N/10 teams of about 10 members, N/10 projects with 5 user grants
// and 2 team grants, loaded through the public API.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench_options.hpp"
#include "roster/client.hpp"

namespace roster::bench {

struct data_set {
  std::vector<Id> users;
  std::vector<std::string> usernames;  // usernames[i] is users[i]'s
  std::vector<Id> teams;
  std::vector<Id> managers;  // managers[t] manages teams[t]
  std::vector<Id> projects;
  Id big_team = 0;  // 0 when none was asked for
  unsigned big_team_size = 0;
  // How long each phase of the load took, in order (users, teams, projects).
  std::vector<std::pair<std::string, double>> load_seconds;

  // Team t's loaded members are users[member_drawn(t, k)] for k < draws_per_team,
  // its manager first (k = 0): two draws may name one user.
  static constexpr unsigned draws_per_team = 10;
  std::size_t member_drawn(std::size_t team, unsigned k) const {
    return static_cast<std::size_t>((std::uint64_t{team} * 7919 + std::uint64_t{k} * 104729) % users.size());
  }
  // Whether users[user] joined teams[team] when the data set loaded.
  bool loaded_member(std::size_t team, std::size_t user) const {
    for (unsigned k = 0; k < draws_per_team; ++k)
      if (member_drawn(team, k) == user) return true;
    return false;
  }
};

data_set load(const options& opt, const std::string& token);

// Checks every project once, so that the runs measure the working set a
// backend keeps resident, not the first activation of projects rosterd
// passivated while the rest loaded (--passivate-after-ms).
void warm_up(const options& opt, const std::string& token, const data_set& data);

}  // namespace roster::bench
