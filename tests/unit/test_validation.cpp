#include <catch2/catch.hpp>

#include "actors/role_schema.hpp"
#include "actors/validation.hpp"

using namespace roster::actors;

TEST_CASE("U1 e-mail validation accepts ordinary addresses and refuses malformed ones", "[user][unit]") {
  CHECK_FALSE(check_email("a.b+tag@mail.example.org"));
  CHECK(check_email("a@b"));
  CHECK(check_email("@example.org"));
  CHECK(check_email("a@@example.org"));
  CHECK(check_email("a..b@example.org"));
  CHECK(check_email("a@-example.org"));
  CHECK(check_email("a b@example.org"));
}

TEST_CASE("P3 the simple schema orders view < edit < own", "[project][unit]") {
  auto schema = role_schema::simple();
  auto files = schema->find_action("view_files");
  REQUIRE(files);
  CHECK(files->level == 2);
  std::vector<std::uint8_t> levels;
  REQUIRE_FALSE(schema->resolve({{"", "view"}}, &levels));
  CHECK_FALSE(schema->allows_level(levels, *files));
  REQUIRE_FALSE(schema->resolve({{"project", "own"}}, &levels));
  CHECK(schema->allows_level(levels, *files));
  CHECK(schema->resolve({{"", "admin"}}, &levels));
}

TEST_CASE("P3 the categories schema needs CATEGORY=LEVEL", "[project][unit]") {
  auto schema = role_schema::categories();
  std::vector<std::uint8_t> levels;
  CHECK(schema->resolve({{"", "viewer"}}, &levels));
  REQUIRE_FALSE(schema->resolve({{"flow", "contributor"}, {"base", "viewer"}}, &levels));
  CHECK(levels == std::vector<std::uint8_t>{0, 2, 1, 0});
  CHECK(schema->resolve({{"flow", "viewer"}, {"flow", "contributor"}}, &levels));
}
