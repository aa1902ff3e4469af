// Submits a batch to a store and waits for its acknowledgement, for the
// storage tests.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>

#include "storage/lmdb_store.hpp"

namespace roster::testing {

// nullopt once `batch` is durable, otherwise why it failed.
inline std::optional<std::string> commit(storage::lmdb_store& store, storage::write_batch batch,
                                         std::uint64_t high_id = 0) {
  std::promise<std::optional<std::string>> done;
  store.submit(std::make_shared<storage::write_lineage>(), std::move(batch), high_id,
               [&](std::optional<std::string> error) { done.set_value(std::move(error)); });
  return done.get_future().get();
}

}  // namespace roster::testing
