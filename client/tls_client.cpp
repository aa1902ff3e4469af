// The client's side of TLS: trust what the caller says to trust, and verify
// the server's certificate before anything is sent, the token included.
#include <arpa/inet.h>

#include <fstream>
#include <sstream>

#include "client_internals.hpp"

namespace roster::detail {
namespace {

Result<std::vector<kj::TlsCertificate>> read_trusted(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::invalid_argument, "cannot read the trusted certificates file " + path};
  std::ostringstream text;
  text << in.rdbuf();
  auto pem = text.str();
  std::vector<kj::TlsCertificate> trusted;
  // KJ reads one certificate (with its chain) from a PEM text; a bundle of
  // several CAs is split at each BEGIN line.
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  for (auto at = pem.find(begin); at != std::string::npos;) {
    auto next = pem.find(begin, at + begin.size());
    auto one = pem.substr(at, next == std::string::npos ? std::string::npos : next - at);
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { trusted.emplace_back(kj::StringPtr(one.c_str())); })) {
      return Error{ErrorCode::invalid_argument,
                   "a certificate in " + path + " is not valid PEM: " + e->getDescription().cStr()};
    }
    at = next;
  }
  if (trusted.empty()) return Error{ErrorCode::invalid_argument, "no certificate in " + path};
  return trusted;
}

std::string host_of(const std::string& address) {
  auto host = address.substr(0, address.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

bool is_ip_literal(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

}  // namespace

Result<secured_stream> secure(kj::Own<kj::AsyncIoStream>& plain, const std::string& address, const TlsOptions& tls,
                              kj::WaitScope& wait) {
  auto name = tls.server_name.empty() ? host_of(address) : tls.server_name;
  // KJ checks the certificate against a host name only, never an IP address.
  if (is_ip_literal(name))
    return Error{ErrorCode::invalid_argument,
                 "TLS checks the server's certificate by name, and " + name +
                     " is an address: connect to a host name, or name the certificate's (TlsOptions::server_name, "
                     "rosterctl --tls-server-name)"};
  std::vector<kj::TlsCertificate> trusted;
  if (!tls.trusted_certificates_file.empty()) {
    auto read = read_trusted(tls.trusted_certificates_file);
    if (!read) return read.error();
    trusted = std::move(*read);
  }
  kj::TlsContext::Options options;
  options.useSystemTrustStore = trusted.empty();
  options.trustedCertificates = kj::ArrayPtr<const kj::TlsCertificate>(trusted.data(), trusted.size());
  secured_stream secured;
  secured.context = kj::heap<kj::TlsContext>(kj::mv(options));  // copies what it trusts
  secured.stream = secured.context->wrapClient(kj::mv(plain), name).wait(wait);
  return secured;
}

}  // namespace roster::detail
