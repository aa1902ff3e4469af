// TLS on the listener (issue: reliability and security, "Authentication"):
// rosterd --tls-cert/--tls-key with a certificate from scripts/make-test-cert,
// and roster::Client's verification of it.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "roster/client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

// A self-signed certificate for localhost in `dir`: server.crt, server.key.
void make_certificate(const std::string& dir) {
  auto command = std::string(ROSTER_MAKE_TEST_CERT) + " " + dir + " >/dev/null";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("scripts/make-test-cert failed");
}

// HOST:PORT with the host replaced by `host`.
std::string with_host(const std::string& address, const std::string& host) {
  return host + address.substr(address.rfind(':'));
}

}  // namespace

TEST_CASE("TLS: a client that trusts the server's certificate works as over TCP, others are turned away",
          "[e2e][security][tls]") {
  temp_dir dir;
  make_certificate(dir.path());
  server_process server(dir.path() + "/data",
                        {"--tls-cert=" + dir.path() + "/server.crt", "--tls-key=" + dir.path() + "/server.key"});
  server.start();
  auto localhost = with_host(server.address(), "localhost");
  TlsOptions trusting{dir.path() + "/server.crt", ""};

  auto client = Client::connect(localhost, server.token(), trusting);
  REQUIRE(client.ok());
  CHECK(client->ping().ok());
  auto alice = client->add_user("alice", "alice@example.org");
  REQUIRE(alice.ok());
  auto project = client->act_as(UserRef(*alice)).create_project("atlas");
  REQUIRE(project.ok());
  CHECK(client->check(UserRef("alice"), *project, "view_outputs").value());

  SECTION("the address given by IP, with the certificate's name") {
    auto by_ip =
        Client::connect(server.address(), server.token(), TlsOptions{trusting.trusted_certificates_file, "localhost"});
    REQUIRE(by_ip.ok());
    CHECK(by_ip->ping().ok());
  }
  SECTION("an IP address alone cannot be checked against the certificate") {
    auto by_ip = Client::connect(server.address(), server.token(), trusting);
    REQUIRE_FALSE(by_ip.ok());
    CHECK(by_ip.error().code == ErrorCode::invalid_argument);
  }
  SECTION("a certificate issued to another name") {
    auto other =
        Client::connect(localhost, server.token(), TlsOptions{trusting.trusted_certificates_file, "example.org"});
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorCode::unavailable);
    CHECK_THAT(other.error().message, Catch::Contains("hostname mismatch"));
  }
  SECTION("a client that trusts only the system's authorities") {
    auto untrusting = Client::connect(localhost, server.token(), TlsOptions{});
    REQUIRE_FALSE(untrusting.ok());
    CHECK_THAT(untrusting.error().message, Catch::Contains("not trusted"));
  }
  SECTION("a client without TLS") {
    auto plain = Client::connect(server.address(), server.token());
    REQUIRE_FALSE(plain.ok());
    CHECK(plain.error().code == ErrorCode::unavailable);
  }
  SECTION("a trusted-certificates file that is not one") {
    auto bad = Client::connect(localhost, server.token(), TlsOptions{dir.path() + "/server.key", ""});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::invalid_argument);
  }
  SECTION("a peer that opens a connection and never says hello holds no one up") {
    int silent = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(silent >= 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port =
        htons(static_cast<std::uint16_t>(std::stoi(server.address().substr(server.address().rfind(':') + 1))));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(silent, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
    auto another = Client::connect(localhost, server.token(), trusting);
    REQUIRE(another.ok());
    CHECK(another->ping().ok());
    ::close(silent);
  }
  // Whatever the others did, the first client is still served.
  CHECK(client->check(UserRef("alice"), *project, "view_outputs").value());
}

TEST_CASE("TLS: rosterd refuses to start with half a configuration or files that are not PEM", "[e2e][security][tls]") {
  temp_dir dir;
  make_certificate(dir.path());
  auto crt = dir.path() + "/server.crt", key = dir.path() + "/server.key";
  CHECK_THROWS_WITH(server_process(dir.path() + "/a", {"--tls-cert=" + crt}).start(), Catch::Contains("go together"));
  CHECK_THROWS_WITH(server_process(dir.path() + "/b", {"--tls-cert=" + key, "--tls-key=" + key}).start(),
                    Catch::Contains("not valid PEM"));
  CHECK_THROWS_WITH(
      server_process(dir.path() + "/c", {"--tls-cert=" + crt, "--tls-key=" + dir.path() + "/none"}).start(),
      Catch::Contains("cannot read"));
}
