#include <catch2/catch.hpp>

#include "domain/role_schema.hpp"
#include "domain/validation.hpp"
#include "roster/utf8.hpp"

using namespace roster::domain;

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

TEST_CASE("U1 text: the decoder refuses every ill-formed UTF-8 sequence", "[user][unit]") {
  auto well_formed = [](std::string_view text) {
    std::size_t at = 0;
    while (at < text.size())
      if (!roster::utf8::decode(text, &at)) return false;
    return true;
  };
  CHECK(well_formed("plain ascii"));
  CHECK(well_formed("\xc3\xa9t\xc3\xa9"));           // été
  CHECK(well_formed("\xe2\x82\xac"));                // €
  CHECK(well_formed("\xf0\x9f\x94\xac"));            // 🔬
  CHECK(well_formed("\xf4\x8f\xbf\xbf"));            // U+10FFFF
  CHECK_FALSE(well_formed("\xc0\x80"));              // overlong NUL
  CHECK_FALSE(well_formed("\xc1\xbf"));              // overlong
  CHECK_FALSE(well_formed("\xe0\x9f\xbf"));          // overlong, three bytes
  CHECK_FALSE(well_formed("\xf0\x8f\xbf\xbf"));      // overlong, four bytes
  CHECK_FALSE(well_formed("\xed\xa0\x80"));          // surrogate U+D800
  CHECK_FALSE(well_formed("\xed\xbf\xbf"));          // surrogate U+DFFF
  CHECK_FALSE(well_formed("\xf4\x90\x80\x80"));      // U+110000
  CHECK_FALSE(well_formed("\xf8\x88\x80\x80\x80"));  // five bytes
  CHECK_FALSE(well_formed("\x80"));                  // a lone continuation byte
  CHECK_FALSE(well_formed("\xe2\x82"));              // cut short
  CHECK(roster::utf8::repaired("a\xffz") == "a\xef\xbf\xbdz");
  CHECK(roster::utf8::repaired("\xe2\x82\xac") == "\xe2\x82\xac");
}

TEST_CASE("U1 text: names refuse controls and deceptive characters, free text refuses controls", "[user][unit]") {
  text_rule name{"a name", text_kind::name, 1, 8, 0};
  text_rule free{"a message", text_kind::free_text, 0, 0, 16};
  CHECK_FALSE(check_text("ok", name));
  CHECK_FALSE(check_text("\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8c\xe0\xa4\xb7", name));  // ZWNJ kept
  CHECK_FALSE(check_text("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", name));      // ZWJ kept
  CHECK(check_text("", name));
  CHECK(check_text("123456789", name));  // nine characters
  CHECK_FALSE(check_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                         name));  // 8, 16 bytes
  for (std::string bad : {"a\x01", "a\x7f", "a\xc2\x9f", "a\nb"}) {
    CHECK(check_text(bad, name));
    CHECK(check_text(bad, free));
  }
  for (std::string deceptive :
       {"\xd8\x9c", "\xe2\x80\x8b", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaa",
        "\xe2\x80\xae", "\xe2\x81\xa0", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xef\xbb\xbf"}) {
    INFO("bytes " << deceptive.size());
    CHECK(check_text(deceptive, name));
    CHECK_FALSE(check_text(deceptive, free));
  }
  CHECK(check_text(std::string(17, 'x'), free));
  CHECK(check_text("\xc0\xaf", free));
}

TEST_CASE("U1 usernames: 3-64 of a-z 0-9 . _ -, never all digits", "[user][unit]") {
  CHECK_FALSE(check_username("alice"));
  CHECK_FALSE(check_username("a1b"));
  CHECK_FALSE(check_username("007agent"));
  CHECK(check_username("007"));
  CHECK(check_username("1234567890"));
  CHECK(check_username("ab"));
  CHECK(check_username("al ice"));
}
