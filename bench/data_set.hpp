// The data set every workload runs on, of the shape shared/baselines uses:
// N users, N/10 teams of about 10 members, N/10 projects with 5 user grants
// and 2 team grants, loaded through the public API.
#pragma once

#include <string>
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
};

data_set load(const options& opt, const std::string& token);

// Checks every project once, so that the runs measure the working set a
// backend keeps resident, not the first activation of projects rosterd
// passivated while the rest loaded (--passivate-after-ms).
void warm_up(const options& opt, const std::string& token, const data_set& data);

}  // namespace roster::bench
