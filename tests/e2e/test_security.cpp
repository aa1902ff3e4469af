// Service tokens and their scopes (issue: reliability and security,
// "Authentication"): the tokens file, and what each scope may do.
#include <catch2/catch.hpp>

#include "roster/client.hpp"
#include "server/service_token.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

const std::string admin_token = "admin-0123456789abcdef";
const std::string users_token = "users-0123456789abcdef";

}  // namespace

TEST_CASE("tokens file: scopes, comments, and a token alone is admin", "[security][tokens]") {
  temp_dir dir;
  auto path = dir.write("tokens",
                        "# Roster service tokens\n"
                        "\n"
                        "0123456789abcdef0123\n"
                        "admin   admin-0123456789abcdef   # the control plane\n"
                        "users users-0123456789abcdef\n");
  auto tokens = server::read_tokens(path);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].secret == "0123456789abcdef0123");
  CHECK(tokens[0].scope == server::token_scope::admin);
  CHECK(tokens[1].secret == admin_token);
  CHECK(tokens[1].scope == server::token_scope::admin);
  CHECK(tokens[2].secret == users_token);
  CHECK(tokens[2].scope == server::token_scope::users);

  CHECK(server::scope_of(users_token, tokens) == server::token_scope::users);
  CHECK(server::scope_of(admin_token, tokens) == server::token_scope::admin);
  CHECK(server::scope_of("users-0123456789abcdeF", tokens) == server::token_scope::none);
  CHECK(server::scope_of("", tokens) == server::token_scope::none);
  // A token file read whole, its newline included, is the token.
  CHECK(server::scope_of(users_token + "\n", tokens) == server::token_scope::users);
  CHECK(server::scope_of(" " + admin_token + "\r\n", tokens) == server::token_scope::admin);
  CHECK(server::scope_of("\n", tokens) == server::token_scope::none);
  CHECK(server::scope_of(users_token + "x\n", tokens) == server::token_scope::none);
}

TEST_CASE("tokens file: a malformed line stops the start, naming the file and line", "[security][tokens]") {
  temp_dir dir;
  CHECK_THROWS_WITH(server::read_tokens(dir.write("a", "root 0123456789abcdef0123\n")),
                    Catch::Contains("line 1") && Catch::Contains("unknown scope 'root'"));
  CHECK_THROWS_WITH(server::read_tokens(dir.write("b", "# ok\nusers short\n")),
                    Catch::Contains("line 2") && Catch::Contains("at least 16"));
  CHECK_THROWS_WITH(server::read_tokens(dir.write("c", "users 0123456789abcdef0123 extra\n")),
                    Catch::Contains("expected [admin|users] TOKEN"));
  CHECK_THROWS_WITH(server::read_tokens(dir.write("d", "# nothing\n\n")), Catch::Contains("no token"));
  // A token given twice, or one that a '#' would cut short, stops the start
  // with the line named.
  CHECK_THROWS_WITH(server::read_tokens(dir.write("e",
                                                  "admin 0123456789abcdef0123\n"
                                                  "users 0123456789abcdef0123\n")),
                    Catch::Contains("line 2") && Catch::Contains("line 1 again"));
  CHECK_THROWS_WITH(server::read_tokens(dir.write("f", "users 0123456789#abcdef0123\n")),
                    Catch::Contains("line 1") && Catch::Contains("'#'"));
  CHECK_THROWS_WITH(server::read_tokens(dir.path() + "/missing"), Catch::Contains("cannot read"));
}

TEST_CASE("token scopes: a users token acts as users and checks, but neither adds users nor acts as the service",
          "[e2e][security][tokens]") {
  temp_dir dir;
  auto tokens = dir.write("tokens", "admin " + admin_token + "\nusers " + users_token + "\n");
  server_process server(dir.path() + "/data", {"--tokens-file=" + tokens});
  server.start();

  auto admin = Client::connect(server.address(), admin_token);
  REQUIRE(admin.ok());
  auto alice = admin->add_user("alice", "alice@example.org");
  REQUIRE(alice.ok());

  auto backend = Client::connect(server.address(), users_token);
  REQUIRE(backend.ok());
  auto refused = backend->add_user("mallory", "mallory@example.org");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::permission_denied);
  auto as_service = backend->as_service().show_user("alice");
  REQUIRE_FALSE(as_service.ok());
  CHECK(as_service.error().code == ErrorCode::permission_denied);
  CHECK(as_service.error().message.find("admin token") != std::string::npos);

  // C8: every change of everyone is the service's to watch.
  auto watched = backend->watch(0, [](const std::vector<Change>&) { return false; });
  REQUIRE_FALSE(watched.ok());
  CHECK(watched.error().code == ErrorCode::permission_denied);

  // Acting as a user, with that user's rights.
  auto project = backend->act_as("alice").create_project("P");
  REQUIRE(project.ok());
  auto owner = backend->check("alice", *project, "invite_own");
  REQUIRE(owner.ok());
  CHECK(*owner);

  // Nothing the refused calls asked for happened.
  CHECK_FALSE(admin->as_service().show_user("mallory").ok());
  // The admin token may do what the users token may not.
  auto shown = admin->as_service().show_user("alice");
  REQUIRE(shown.ok());
  CHECK(shown->username == "alice");

  // No token of the file: nothing at all.
  auto stranger = Client::connect(server.address(), "users-0123456789abcdeX");
  REQUIRE_FALSE(stranger.ok());
  CHECK(stranger.error().code == ErrorCode::unauthenticated);
  CHECK(server.stop() == 0);
}
