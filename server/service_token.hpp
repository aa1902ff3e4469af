// Service tokens: read from a tokens file, or DATA_DIR/service.token, which
// the first start on an empty data directory creates (mode 0600).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace roster::server {

// What a connection's token lets it do. `admin`: everything a backend may
// — add users, act as the service itself (with a platform admin's rights)
// and as any user, check. `users`: act only as users (each with that user's
// rights) and check; adding users and the service session are refused.
// `tenant` (N5): as `users`, and add users, but only within one tenant:
// its users, teams and projects and the guests of its projects; anything
// else is not found.
enum class token_scope : std::uint8_t { none, users, admin, tenant };

struct service_token {
  token_scope scope = token_scope::admin;
  std::string secret;
  std::string tenant = {};  // for `tenant` scope: the tenant's name or id, as written
};

// Tokens shorter than this are refused when the file is read: a service
// token is a secret, not a password.
constexpr std::size_t min_token_length = 16;

// One token per non-empty line, optionally after its scope ("users TOKEN",
// "admin TOKEN", "tenant NAME TOKEN" where NAME is a tenant's name or id; a
// token alone has admin scope); '#' starts a comment.
// Throws std::runtime_error naming the file and line for anything else, and
// for a missing file or one without a token.
std::vector<service_token> read_tokens(const std::string& path);

// Returns the tokens of `path`, creating the file with one new random token
// first if it does not exist. Sets `created` accordingly.
std::vector<service_token> read_or_create_token(const std::string& path, bool* created);

// The tokens a server accepts: those of `tokens_file` when given, else of
// DATA_DIR/service.token (created on first start; `created` tells).
std::vector<service_token> service_tokens(const std::string& tokens_file, const std::string& data_dir, bool* created);

// The scope of the token equal to `offered` (whitespace around it aside: a
// client may send a token file's line with its newline), or none. Takes the
// same time whichever token matches, or none: every known token is compared
// in full.
token_scope scope_of(const std::string& offered, const std::vector<service_token>& known);
// The same, with the matching token (null for none).
const service_token* match_token(const std::string& offered, const std::vector<service_token>& known);

// Constant-time comparison: how long it takes says nothing of where a wrong
// token first differs.
bool tokens_equal(const std::string& a, const std::string& b);

}  // namespace roster::server
