#include "server/service_token.hpp"

#include <filesystem>

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace roster::server {

std::vector<std::string> read_tokens(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read tokens file " + path);
  std::vector<std::string> tokens;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != line.npos) line.resize(hash);
    std::istringstream words(line);
    std::string first, second;
    words >> first >> second;
    if (first.empty()) continue;
    tokens.push_back(second.empty() ? first : second);
  }
  if (tokens.empty()) throw std::runtime_error("no token in " + path);
  return tokens;
}

std::vector<std::string> read_or_create_token(const std::string& path, bool* created) {
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
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path);
  auto line = token + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + path);
  *created = true;
  return {token};
}

std::vector<std::string> service_tokens(const std::string& tokens_file, const std::string& data_dir, bool* created) {
  *created = false;
  if (!tokens_file.empty()) return read_tokens(tokens_file);
  return read_or_create_token((std::filesystem::path(data_dir) / "service.token").string(), created);
}

}  // namespace roster::server
