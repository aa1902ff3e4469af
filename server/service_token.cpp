#include "server/service_token.hpp"

#include <filesystem>

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "storage/unique_fd.hpp"

namespace roster::server {

std::vector<service_token> read_tokens(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read tokens file " + path);
  std::vector<service_token> tokens;
  std::vector<int> lines;  // where each token was read
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto where = [&] { return "tokens file " + path + " line " + std::to_string(number) + ": "; };
    // A comment starts with a word that starts with '#'; a '#' inside a
    // word would silently cut a token short, so it is refused.
    std::istringstream words(line);
    std::vector<std::string> word;
    for (std::string w; words >> w && w.front() != '#';) {
      if (w.find('#') != w.npos) throw std::runtime_error(where() + "a token may not hold '#'");
      word.push_back(w);
    }
    if (word.empty()) continue;
    service_token token;
    token.secret = word.back();
    if (word[0] == "tenant") {
      // A tenant's name may hold spaces: every word between scope and token.
      if (word.size() < 3) throw std::runtime_error(where() + "expected tenant NAME TOKEN");
      token.scope = token_scope::tenant;
      for (std::size_t i = 1; i + 1 < word.size(); ++i) token.tenant += (i > 1 ? " " : "") + word[i];
    } else if (word.size() > 2) {
      throw std::runtime_error(where() + "expected [admin|users] TOKEN or tenant NAME TOKEN");
    } else if (word.size() == 2) {
      if (word[0] == "admin")
        token.scope = token_scope::admin;
      else if (word[0] == "users")
        token.scope = token_scope::users;
      else
        throw std::runtime_error(where() + "unknown scope '" + word[0] + "' (admin, users or tenant)");
    }
    if (token.secret.size() < min_token_length)
      throw std::runtime_error(where() + "a token needs at least " + std::to_string(min_token_length) + " characters");
    for (std::size_t i = 0; i < tokens.size(); ++i)
      if (tokens[i].secret == token.secret)
        throw std::runtime_error(where() + "the token of line " + std::to_string(lines[i]) +
                                 " again: each token once, with one scope");
    tokens.push_back(std::move(token));
    lines.push_back(number);
  }
  if (tokens.empty()) throw std::runtime_error("no token in " + path);
  return tokens;
}

std::vector<service_token> read_or_create_token(const std::string& path, bool* created) {
  *created = false;
  if (::access(path.c_str(), F_OK) == 0) return read_tokens(path);
  unsigned char random[32];
  if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
    throw std::runtime_error("getrandom failed");
  static const char hex[] = "0123456789abcdef";
  std::string token;
  for (auto byte : random) {
    token.push_back(hex[byte >> 4]);
    token.push_back(hex[byte & 15]);
  }
  storage::unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) throw std::runtime_error("cannot create " + path);
  auto line = token + "\n";
  bool ok = ::write(fd.get(), line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd.get()) == 0;
  if (!ok) throw std::runtime_error("cannot write " + path);
  *created = true;
  return {service_token{token_scope::admin, token, {}}};
}

std::vector<service_token> service_tokens(const std::string& tokens_file, const std::string& data_dir, bool* created) {
  *created = false;
  if (!tokens_file.empty()) return read_tokens(tokens_file);
  return read_or_create_token((std::filesystem::path(data_dir) / "service.token").string(), created);
}

token_scope scope_of(const std::string& offered, const std::vector<service_token>& known) {
  const auto* token = match_token(offered, known);
  return token ? token->scope : token_scope::none;
}

const service_token* match_token(const std::string& offered, const std::vector<service_token>& known) {
  // No token holds whitespace (a tokens file separates fields with it):
  // what surrounds the offered one is a file's newline, read along with it.
  constexpr const char* blanks = " \t\r\n";
  auto first = offered.find_first_not_of(blanks);
  auto token =
      first == std::string::npos ? std::string() : offered.substr(first, offered.find_last_not_of(blanks) + 1 - first);
  const service_token* match = nullptr;
  for (const auto& known_token : known)
    if (tokens_equal(token, known_token.secret)) match = &known_token;
  return match;
}

bool tokens_equal(const std::string& a, const std::string& b) {
  // Length is not secret (generated tokens have one fixed length); the content is.
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace roster::server
