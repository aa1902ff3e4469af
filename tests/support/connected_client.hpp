// A roster::Client connected to a server_process, for end-to-end tests: the
// test fails at once when it cannot connect.
#pragma once

#include <catch2/catch.hpp>

#include <utility>

#include "roster/client.hpp"
#include "support/server_process.hpp"

namespace roster::testing {

inline Client connect(const server_process& server) {
  auto client = Client::connect(server.address(), server.token());
  REQUIRE(client.ok());
  return std::move(client).value();
}

}  // namespace roster::testing
