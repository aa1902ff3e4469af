// The actors write through the port that storage owns (storage/port.hpp)
// and read its keys and records; these names are the actors' own.
#pragma once

#include "storage/keys.hpp"
#include "storage/port.hpp"
#include "storage/records.hpp"

namespace roster::actors {
using roster::storage::record_write;
using roster::storage::storage_port;
using roster::storage::write_batch;
using roster::storage::write_lineage;
namespace keys = roster::storage::keys;
namespace records = roster::storage::records;
}  // namespace roster::actors
