#include "domain/validation.hpp"

#include <algorithm>
#include <cctype>

#include "roster/utf8.hpp"

namespace roster::domain {
namespace {

failure invalid(std::string message) { return failure{ErrorCode::invalid_argument, std::move(message)}; }

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
  // An all-digit name would read as an id wherever users are named (U1).
  if (std::all_of(username.begin(), username.end(), [](unsigned char c) { return std::isdigit(c); }))
    return invalid("a username may not be all digits: it would read as an id");
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
    if (c <= 0x20 || c >= 0x7f || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' ||
        c == '[' || c == ']' || c == '\\' || c == '"')
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

std::optional<failure> check_text(std::string_view text, const text_rule& rule) {
  auto what = std::string(rule.what);
  if (rule.max_bytes != 0 && text.size() > rule.max_bytes)
    return invalid(what + " has at most " + std::to_string(rule.max_bytes) + " bytes");
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++characters) {
    auto c = utf8::decode(text, &i);
    if (!c) return invalid(what + " is not valid UTF-8 (byte " + std::to_string(i) + ")");
    if (utf8::is_control(*c)) return invalid(what + " may not hold control characters");
    if (rule.kind == text_kind::name && utf8::is_deceptive(*c))
      return invalid(what + " may not hold invisible or text-direction characters");
  }
  bool too_long = rule.max_characters != 0 && characters > rule.max_characters;
  if (characters < rule.min_characters || too_long) {
    auto range = rule.min_characters == 0
                     ? "at most " + std::to_string(rule.max_characters)
                     : std::to_string(rule.min_characters) + " to " + std::to_string(rule.max_characters);
    return invalid(what + " has " + range + " characters");
  }
  return std::nullopt;
}

std::optional<failure> check_page_limit(std::uint32_t limit, std::uint32_t most) {
  if (limit >= 1 && limit <= most) return std::nullopt;
  return invalid("the limit is 1 to " + std::to_string(most) + " entries, not " + std::to_string(limit));
}

std::optional<failure> check_display_name(std::string_view name) {
  return check_text(name, {"a display name", text_kind::name, 0, limits::display_name_max, 0});
}

std::optional<failure> check_entity_name(std::string_view what, std::string_view name) {
  auto rule_what = std::string(what) + " name";
  return check_text(name, {rule_what, text_kind::name, 1, limits::entity_name_max, 0});
}

std::optional<failure> check_icon(std::string_view icon) {
  return check_text(icon, {"an icon", text_kind::free_text, 0, 0, limits::icon_max});
}

std::optional<failure> check_message(std::string_view message) {
  return check_text(message, {"a message", text_kind::free_text, 0, 0, limits::message_max});
}

}  // namespace roster::domain
