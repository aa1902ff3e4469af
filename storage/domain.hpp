// Storage speaks the domain's vocabulary (domain/): its names are storage's,
// unqualified, in every key and record codec.
#pragma once

#include "domain/types.hpp"

namespace roster::storage {
using namespace roster::domain;
}  // namespace roster::storage
