// Filling the Cap'n Proto structs that are both stored records and wire
// values (Invitation, Notification) from domain values: one definition for
// storage (records.cpp) and for the RPC gateway. Includes the generated
// header: include only from .cpp files.
#pragma once

#include "roster/schema/roster.capnp.h"
#include "storage/domain.hpp"

namespace roster::storage::records {

void fill(const invitation& inv, wire::Invitation::Builder out);
void fill(const notification& note, wire::Notification::Builder out);

}  // namespace roster::storage::records
