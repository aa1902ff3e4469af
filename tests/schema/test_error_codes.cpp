#include <catch2/catch.hpp>

#include <cctype>

#include <capnp/schema.h>

#include "roster/error_code.hpp"
#include "roster/schema/roster.capnp.h"

// The plain enum and the schema's enum must agree name for name, value for
// value: clients see the schema's, rosterctl prints the plain one's names.
TEST_CASE("the error codes of the schema and of the C++ enum agree", "[unit]") {
  auto enumerants = capnp::Schema::from<roster::wire::ErrorCode>().getEnumerants();
  REQUIRE(enumerants.size() == roster::error_code_count);
  for (auto e : enumerants) {
    std::string snake;
    for (char c : std::string(e.getProto().getName().cStr())) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        snake += '_';
        snake += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        snake += c;
      }
    }
    auto code = static_cast<roster::ErrorCode>(e.getOrdinal());
    CHECK(roster::to_string(code) == snake);
    CHECK(roster::error_code_from_string(snake) == code);
  }
}
