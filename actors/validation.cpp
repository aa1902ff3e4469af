#include "actors/validation.hpp"

#include <algorithm>
#include <cctype>

namespace roster::actors {
namespace {

failure invalid(std::string message) { return failure{ErrorCode::invalid_argument, std::move(message)}; }

// Counts UTF-8 code points; nullopt when the bytes are not valid UTF-8 or
// hold a control character.
std::optional<std::size_t> printable_utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t continuation = lead < 0x80           ? 0
                               : (lead >> 5) == 0x6  ? 1
                               : (lead >> 4) == 0xe  ? 2
                               : (lead >> 3) == 0x1e ? 3
                                                     : 4;
    if (continuation == 4 || i + continuation >= text.size())
      return std::nullopt;
    if (continuation == 0 && (lead < 0x20 || lead == 0x7f)) return std::nullopt;
    for (std::size_t k = 1; k <= continuation; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return std::nullopt;
    // C1 control characters, U+0080..U+009F, are 0xC2 0x80..0x9F.
    if (lead == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) return std::nullopt;
    i += continuation + 1;
  }
  return count;
}

}  // namespace

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<failure> check_username(std::string_view username) {
  if (username.size() < limits::username_min || username.size() > limits::username_max)
    return invalid("a username has 3 to 64 characters");
  for (unsigned char c : username) {
    bool ok = std::isalnum(c) || c == '.' || c == '_' || c == '-';
    if (!ok || c >= 0x80) return invalid("a username may hold only a-z, 0-9, '.', '_' and '-'");
  }
  return std::nullopt;
}

std::string normalize_email(std::string_view email) { return to_lower_ascii(email); }

std::optional<failure> check_email(std::string_view email) {
  if (email.empty()) return invalid("an e-mail address is required");
  if (email.size() > limits::email_max) return invalid("an e-mail address has at most 254 bytes");
  auto at = email.find('@');
  if (at == email.npos || email.find('@', at + 1) != email.npos)
    return invalid("an e-mail address has exactly one '@'");
  auto local = email.substr(0, at);
  auto domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64) return invalid("the part before '@' has 1 to 64 characters");
  for (unsigned char c : local)
    if (c <= 0x20 || c >= 0x7f || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
        c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
      return invalid("the part before '@' holds a character e-mail addresses do not allow");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos)
    return invalid("the part before '@' has a misplaced '.'");
  if (domain.find('.') == domain.npos) return invalid("the domain of an e-mail address needs a '.'");
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      auto label = domain.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return invalid("the domain of an e-mail address is not well formed");
      label_start = i + 1;
      continue;
    }
    auto c = static_cast<unsigned char>(domain[i]);
    if (!(std::isalnum(c) || c == '-') || c >= 0x80)
      return invalid("the domain of an e-mail address holds a character it may not");
  }
  return std::nullopt;
}

std::optional<failure> check_display_name(std::string_view name) {
  auto length = printable_utf8_length(name);
  if (!length) return invalid("a display name must be UTF-8 without control characters");
  if (*length > limits::display_name_max) return invalid("a display name has at most 128 characters");
  return std::nullopt;
}

std::optional<failure> check_entity_name(std::string_view what, std::string_view name) {
  auto length = printable_utf8_length(name);
  if (!length) return invalid(std::string(what) + " name must be UTF-8 without control characters");
  if (*length == 0 || *length > limits::entity_name_max)
    return invalid(std::string(what) + " name has 1 to 128 characters");
  return std::nullopt;
}

std::optional<failure> check_icon(std::string_view icon) {
  if (icon.size() > limits::icon_max) return invalid("an icon has at most 512 bytes");
  if (!printable_utf8_length(icon)) return invalid("an icon must be UTF-8 without control characters");
  return std::nullopt;
}

std::optional<failure> check_message(std::string_view message) {
  if (message.size() > limits::message_max) return invalid("a message has at most 2048 bytes");
  return std::nullopt;
}

}  // namespace roster::actors
