// P9: the input rule and the wording for access that ends at an instant,
// shared by grants, project invitations and team memberships.
#pragma once

#include <optional>
#include <string>

#include "domain/types.hpp"

namespace roster::domain {

// An expiry must lie in the future (0, never, always may): access that would
// end before it begins is refused as `invalid_argument`.
std::optional<failure> check_expiry(millis expires, millis now);

// The instant in UTC, RFC 3339 with milliseconds: "2026-12-07T10:00:00.000Z".
std::string utc_time(millis instant);

// " until <utc_time>" for an expiry, empty for none: appended to a sentence
// of the activity log ("invited bob at viewer until ...").
std::string describe_expiry(millis expires);

}  // namespace roster::domain
