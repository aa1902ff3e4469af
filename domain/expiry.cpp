#include "domain/expiry.hpp"

#include <ctime>

namespace roster::domain {

std::optional<failure> check_expiry(millis expires, millis now) {
  if (expires == 0 || expires > now) return std::nullopt;
  return failure{ErrorCode::invalid_argument,
                 "the access would end before it begins: " + utc_time(expires) + " is past"};
}

std::string utc_time(millis instant) {
  auto seconds = static_cast<std::time_t>(instant / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  auto ms = std::to_string(1000 + instant % 1000).substr(1);
  return std::string(text, length) + "." + ms + "Z";
}

std::string describe_expiry(millis expires) { return expires == 0 ? std::string() : " until " + utc_time(expires); }

}  // namespace roster::domain
