// The actors speak the domain's vocabulary (domain/): its names are theirs,
// unqualified, in every actor and message.
#pragma once

#include "domain/types.hpp"

namespace roster::actors {
using namespace roster::domain;
}  // namespace roster::actors
