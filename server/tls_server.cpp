#include "server/tls_server.hpp"

#include <kj/compat/tls.h>
#include <kj/debug.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace roster::server {
namespace {

// A slow or silent peer cannot hold a connection slot in the handshake.
constexpr auto handshake_timeout = 10 * kj::SECONDS;

std::string read_pem(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the TLS " + std::string(what) + " file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class T>
T parse_pem(const std::string& path, const char* what) {
  auto pem = read_pem(path, what);
  kj::Maybe<T> parsed;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { parsed = T(kj::StringPtr(pem.c_str())); })) {
    throw std::runtime_error("the TLS " + std::string(what) + " in " + path +
                             " is not valid PEM: " + e->getDescription().cStr());
  }
  KJ_IF_MAYBE (p, parsed) {
    return kj::mv(*p);
  }
  KJ_UNREACHABLE;
}

}  // namespace

struct tls_server::state {
  state(const std::string& certificate_file, const std::string& key_file, kj::Timer& timer)
      : keypair{parse_pem<kj::TlsPrivateKey>(key_file, "key"),
                parse_pem<kj::TlsCertificate>(certificate_file, "certificate")} {
    kj::TlsContext::Options options;
    options.defaultKeypair = keypair;
    options.timer = timer;
    options.acceptTimeout = handshake_timeout;
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() { context = kj::heap<kj::TlsContext>(kj::mv(options)); })) {
      throw std::runtime_error("the TLS certificate " + certificate_file + " and key " + key_file +
                               " cannot serve: " + e->getDescription().cStr());
    }
  }

  kj::TlsKeypair keypair;  // the context refers to it
  kj::Own<kj::TlsContext> context;
};

tls_server::tls_server(const std::string& certificate_file, const std::string& key_file, kj::Timer& timer)
    : state_(std::make_unique<state>(certificate_file, key_file, timer)) {}

tls_server::~tls_server() = default;

kj::Promise<kj::Own<kj::AsyncIoStream>> tls_server::wrap(kj::Own<kj::AsyncIoStream> connection) {
  return state_->context->wrapServer(kj::mv(connection));
}

}  // namespace roster::server
