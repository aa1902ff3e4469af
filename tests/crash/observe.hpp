// Reading back through the public API what a server holds of one worker's
// world, and checking that the derived copies agree with their owners.
#pragma once

#include <string>
#include <vector>

#include "crash/world.hpp"
#include "roster/client.hpp"

namespace roster::crash {

struct observation {
  world seen;
  // Invariants that do not hold, and calls that failed, one line each.
  std::vector<std::string> broken;
};

// The server's state of every user, team and project `model` knows, and of
// what `in_doubt` (a change sent but never acknowledged, or null) may have
// created. Checks on the way that
//  - every user's inbox lists as pending exactly the invitations their
//    teams and projects hold as pending (the inbox's copies);
//  - check() agrees, for every user and project of the world, with the
//    grants and memberships seen (the project's copy of each granted team's
//    members);
//  - lookup_projects() lists for each user exactly those projects (the
//    stored index of who sees what).
observation observe(Client& client, const world& model, const change* in_doubt);

}  // namespace roster::crash
