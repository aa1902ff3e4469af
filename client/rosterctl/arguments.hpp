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

// --token-file, else $ROSTER_TOKEN_FILE, else ./data/service.token.
roster::Result<std::string> read_token(const std::string& token_file);

}  // namespace rosterctl
