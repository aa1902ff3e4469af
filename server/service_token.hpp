// Service tokens: read from a tokens file, or DATA_DIR/service.token, which
// the first start on an empty data directory creates (mode 0600).
#pragma once

#include <string>
#include <vector>

namespace roster::server {

// One token per non-empty line; '#' starts a comment; an optional scope word
// before the token ("admin TOKEN") is accepted. Throws on a missing or empty file.
std::vector<std::string> read_tokens(const std::string& path);

// Returns the tokens of `path`, creating the file with one new random token
// first if it does not exist. Sets `created` accordingly.
std::vector<std::string> read_or_create_token(const std::string& path, bool* created);

// The tokens a server accepts: those of `tokens_file` when given, else of
// DATA_DIR/service.token (created on first start; `created` tells).
std::vector<std::string> service_tokens(const std::string& tokens_file, const std::string& data_dir, bool* created);

}  // namespace roster::server
