#include "support/http_get.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>

namespace roster::testing {
namespace {

struct fd_closer {
  int fd;
  ~fd_closer() {
    if (fd >= 0) ::close(fd);
  }
};

int connect_to(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("not HOST:PORT: " + address);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(address.substr(0, colon).c_str(), address.substr(colon + 1).c_str(), &hints, &found) != 0)
    throw std::runtime_error("cannot resolve " + address);
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  for (auto* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    ::close(fd);
  }
  throw std::runtime_error("cannot connect to " + address);
}

std::string header_value(const std::string& head, const std::string& name) {
  auto at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return {};
  auto start = at + name.size() + 4;
  return head.substr(start, head.find("\r\n", start) - start);
}

}  // namespace

http_response http_get(const std::string& address, const std::string& path) {
  fd_closer socket{connect_to(address)};
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n";
  for (std::size_t sent = 0; sent < request.size();) {
    auto n = ::send(socket.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("sending to " + address + " failed");
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buffer[16384];
  for (ssize_t n; (n = ::recv(socket.fd, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<std::size_t>(n));

  auto end_of_head = answer.find("\r\n\r\n");
  if (answer.rfind("HTTP/1.", 0) != 0 || end_of_head == std::string::npos)
    throw std::runtime_error("not an HTTP answer from " + address + ": " + answer.substr(0, 80));
  http_response response;
  response.status = std::stoi(answer.substr(answer.find(' ') + 1, 3));
  auto head = answer.substr(0, end_of_head);
  response.content_type = header_value(head, "Content-Type");
  response.body = answer.substr(end_of_head + 4);
  return response;
}

}  // namespace roster::testing
