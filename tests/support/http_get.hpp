// A plain HTTP/1.1 GET, enough to read rosterd's metrics endpoint in tests.
#pragma once

#include <string>

namespace roster::testing {

struct http_response {
  int status = 0;
  std::string content_type;
  std::string body;
};

// GETs `path` from `address` (HOST:PORT) and reads until the server closes.
// Throws std::runtime_error when it cannot connect or the answer is not HTTP.
http_response http_get(const std::string& address, const std::string& path);

}  // namespace roster::testing
