#include "roster/utf8.hpp"

namespace roster::utf8 {

std::optional<char32_t> decode(std::string_view text, std::size_t* offset) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[*offset + k]); };
  std::size_t left = text.size() - *offset;
  if (left == 0) return std::nullopt;
  unsigned char lead = byte(0);
  if (lead < 0x80) {
    ++*offset;
    return lead;
  }
  // The lead byte fixes the length and the least value that length may
  // carry: anything less is an overlong form of a shorter sequence.
  std::size_t length;
  char32_t value, least;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, value = lead & 0x1f, least = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, value = lead & 0x0f, least = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, value = lead & 0x07, least = 0x10000;
  } else {
    return std::nullopt;  // a continuation byte, 0xc0, 0xc1, or 0xf5 and above
  }
  if (left < length) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) >> 6) != 0x2) return std::nullopt;
    value = (value << 6) | (byte(k) & 0x3f);
  }
  if (value < least || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return std::nullopt;
  *offset += length;
  return value;
}

bool is_deceptive(char32_t c) {
  switch (c) {
    case 0x061c:
    case 0x200b:
    case 0x200e:
    case 0x200f:
    case 0x2028:
    case 0x2029:
    case 0x2060:
    case 0xfeff:
      return true;
    default:
      return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  }
}

std::string repaired(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto start = i;
    if (decode(text, &i)) {
      out.append(text.substr(start, i - start));
    } else {
      out += "\xef\xbf\xbd";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
  return out;
}

}  // namespace roster::utf8
