// Input rules shared by every entry point: each returns the failure to
// answer, or nothing when the input is acceptable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actors/domain.hpp"

namespace roster::actors::limits {
inline constexpr std::size_t username_min = 3;
inline constexpr std::size_t username_max = 64;
inline constexpr std::size_t email_max = 254;
inline constexpr std::size_t display_name_max = 128;  // characters
inline constexpr std::size_t entity_name_max = 128;   // characters
inline constexpr std::size_t icon_max = 512;          // bytes
inline constexpr std::size_t message_max = 2048;      // bytes
inline constexpr std::size_t action_max = 64;         // bytes
inline constexpr std::size_t level_specs_max = 16;
inline constexpr std::size_t text_field_max = 256;    // level and category names
}  // namespace roster::actors::limits

namespace roster::actors {

std::string to_lower_ascii(std::string_view text);

std::optional<failure> check_username(std::string_view username);
// `email` must already be lower-cased (see normalize_email).
std::optional<failure> check_email(std::string_view email);
std::string normalize_email(std::string_view email);
std::optional<failure> check_display_name(std::string_view name);
// Team and project names: 1-128 characters, valid UTF-8, no control characters.
std::optional<failure> check_entity_name(std::string_view what, std::string_view name);
std::optional<failure> check_icon(std::string_view icon);
std::optional<failure> check_message(std::string_view message);

// True when `text` names an e-mail address rather than a username.
inline bool looks_like_email(std::string_view text) { return text.find('@') != text.npos; }

}  // namespace roster::actors
