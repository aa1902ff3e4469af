// Input rules shared by every entry point: each returns the failure to
// answer, or nothing when the input is acceptable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/types.hpp"

namespace roster::domain::limits {
inline constexpr std::size_t username_min = 3;
inline constexpr std::size_t username_max = 64;
inline constexpr std::size_t email_max = 254;
inline constexpr std::size_t display_name_max = 128;  // characters
inline constexpr std::size_t entity_name_max = 128;   // characters
inline constexpr std::size_t icon_max = 512;          // bytes
inline constexpr std::size_t message_max = 2048;      // bytes
inline constexpr std::size_t action_max = 64;         // bytes
inline constexpr std::size_t level_specs_max = 16;
inline constexpr std::size_t text_field_max = 256;  // level and category names
}  // namespace roster::domain::limits

namespace roster::domain {

std::string to_lower_ascii(std::string_view text);

std::optional<failure> check_username(std::string_view username);
// `email` must already be lower-cased (see normalize_email).
std::optional<failure> check_email(std::string_view email);
std::string normalize_email(std::string_view email);

// The one rule for text that people read (README, "Text"): valid UTF-8 (no
// overlong forms, no surrogates, nothing past U+10FFFF) and no control
// character (C0, DEL, C1). A name also refuses the characters that make one
// name look like another: direction controls, invisible characters and the
// line and paragraph separators (roster::utf8::is_deceptive).
enum class text_kind : std::uint8_t { name, free_text };
struct text_rule {
  std::string_view what;  // "a team name", for the sentence of a refusal
  text_kind kind = text_kind::name;
  std::size_t min_characters = 0;
  std::size_t max_characters = 0;  // 0: no limit in characters
  std::size_t max_bytes = 0;       // 0: no limit in bytes
};
std::optional<failure> check_text(std::string_view text, const text_rule& rule);

std::optional<failure> check_display_name(std::string_view name);
// Team and project names: 1-128 characters under the text rule for names.
std::optional<failure> check_entity_name(std::string_view what, std::string_view name);
std::optional<failure> check_icon(std::string_view icon);
std::optional<failure> check_message(std::string_view message);

// Every listing's page holds 1 to `most` entries: anything else is refused
// with the range named, never clamped.
std::optional<failure> check_page_limit(std::uint32_t limit, std::uint32_t most);

// True when `text` names an e-mail address rather than a username.
inline bool looks_like_email(std::string_view text) { return text.find('@') != text.npos; }

}  // namespace roster::domain
