#include <catch2/catch.hpp>

#include "support/actor_harness.hpp"

using namespace roster::testing;
using roster::ErrorCode;

TEST_CASE("U1 a registered user gets a fresh id; username and e-mail are unique", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto bob = h.add_user("bob");
  CHECK(alice != bob);

  SECTION("the username is compared case-insensitively") {
    auto dup = h.call<entity_id>(h.service(), register_user_cmd{"ALICE", "other@example.org", "", {}});
    CHECK(dup.code() == ErrorCode::already_exists);
  }
  SECTION("the e-mail is normalised to lower case before comparing") {
    auto dup = h.call<entity_id>(h.service(), register_user_cmd{"alice2", "Alice@Example.org", "", {}});
    CHECK(dup.code() == ErrorCode::already_exists);
  }
}

TEST_CASE("U1 malformed usernames and e-mails are refused and change nothing", "[user]") {
  actor_harness h;
  auto reg = [&](std::string username, std::string email) {
    return h.call<entity_id>(h.service(), register_user_cmd{username, email, "", {}});
  };
  CHECK(reg("ab", "ab@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg(std::string(65, 'a'), "long@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg("with space", "space@example.org").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", "not-an-email").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", "carol@nodot").code() == ErrorCode::invalid_argument);
  CHECK(reg("carol", std::string(250, 'c') + "@example.org").code() == ErrorCode::invalid_argument);
  // None of the refusals reserved anything.
  CHECK(reg("carol", "carol@example.org").ok());
}

TEST_CASE("U1 only the service or a platform admin adds users", "[user]") {
  actor_harness h;
  auto alice = h.add_user("alice");
  auto admin = h.add_user("root", platform_role::admin);
  auto by_alice = h.call<entity_id>(h.as(alice), register_user_cmd{"mallory", "m@example.org", "", {}});
  CHECK(by_alice.code() == ErrorCode::permission_denied);
  CHECK(h.call<entity_id>(h.as(admin), register_user_cmd{"dave", "d@example.org", "", {}}).ok());
}
