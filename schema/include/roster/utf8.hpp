// UTF-8 as Roster reads it: one decoder for the server's text rules and for
// what clients print, so both agree on what is well formed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace roster::utf8 {

// The code point at `*offset`, advancing past it; nullopt (and `*offset`
// unchanged) where the bytes there are not well-formed UTF-8: a stray
// continuation byte, an overlong form, a surrogate, past U+10FFFF, or a
// sequence cut short.
std::optional<char32_t> decode(std::string_view text, std::size_t* offset);

// `text` with each byte that is not part of well-formed UTF-8 replaced by
// U+FFFD.
std::string repaired(std::string_view text);

// C0 controls, DEL and the C1 controls.
inline bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

// The characters that make one text look like another: the direction
// controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, the
// invisible U+200B, U+2060, U+FEFF, and the separators U+2028, U+2029. The
// joiners U+200C and U+200D are not among them: scripts and emoji need them.
bool is_deceptive(char32_t c);

}  // namespace roster::utf8
