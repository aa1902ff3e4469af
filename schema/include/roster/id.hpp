// An entity's id as the public API names it: users, teams, projects,
// invitations and notifications share one id space (the wire's UInt64).
#pragma once

#include <cstdint>

namespace roster {

using Id = std::uint64_t;

}  // namespace roster
