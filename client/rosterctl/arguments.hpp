// Parsing of the argument forms CLI.md defines.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "roster/result.hpp"
#include "roster/types.hpp"

namespace rosterctl {

// "L" or "CATEGORY=L", repeatable.
roster::Result<std::vector<roster::Level>> parse_levels(const std::vector<std::string>& specs);

roster::Result<roster::Id> parse_id(const std::string& what, const std::string& text);
roster::Result<roster::PlatformRole> parse_role(const std::string& text);
roster::Result<roster::ProjectKind> parse_kind(const std::string& text);
roster::Result<roster::Policy> parse_policy(const std::string& text);
roster::Result<roster::InvitationStatus> parse_status(const std::string& text);
// P9: --expires, an RFC 3339 time (2026-12-31T18:00:00Z, with an offset or
// fractions of a second) or a duration from `now` (90s, 30m, 12h, 30d), as
// milliseconds since the epoch; empty text is no expiry (0).
roster::Result<roster::Millis> parse_expiry(const std::string& text, roster::Millis now);
// The time on this machine, as parse_expiry counts durations from.
roster::Millis now_millis();

// --token-file, else $ROSTER_TOKEN_FILE, else ./data/service.token.
roster::Result<std::string> read_token(const std::string& token_file);

}  // namespace rosterctl
