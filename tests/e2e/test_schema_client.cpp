// A client written from the schema alone (docs/clients.md): raw Cap'n Proto
// RPC, no roster::Client, the worked session of that page step by step.
#include <catch2/catch.hpp>

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "roster/schema/roster.capnp.h"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

TEST_CASE("clients from the schema: docs/clients.md's worked session, through raw Cap'n Proto", "[e2e][schema]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();

  std::thread([&] {
    auto io = kj::setupAsyncIo();
    auto& wait = io.waitScope;
    auto address = io.provider->getNetwork().parseAddress(server.address()).wait(wait);
    auto stream = address->connect().wait(wait);
    capnp::TwoPartyClient rpc(*stream);
    auto bootstrap = rpc.bootstrap().castAs<wire::Bootstrap>();

    // The token file read whole, its newline included.
    std::ifstream token_file(dir.path() + "/data/service.token");
    std::string token((std::istreambuf_iterator<char>(token_file)), std::istreambuf_iterator<char>());
    REQUIRE(token.back() == '\n');
    auto authenticate = bootstrap.authenticateRequest();
    authenticate.setToken(token);
    auto auth = authenticate.send().wait(wait);
    REQUIRE(auth.getStatus().isOk());
    auto service = auth.getService();

    for (const char* username : {"alice", "bob"}) {
      auto add = service.addUserRequest();
      add.setUsername(username);
      add.setEmail(std::string(username) + "@example.org");
      add.setDisplayName(username);
      add.setRole(wire::PlatformRole::STANDARD);
      CHECK(add.send().wait(wait).getResult().isId());
    }

    // Pipelined: the sessions cost no round trip of their own.
    auto act_as = [&](const char* username) {
      auto request = service.actAsRequest();
      request.initUser().setName(username);
      return request.send().getSession();
    };
    auto alice = act_as("alice");
    auto bob = act_as("bob");

    auto create_team = alice.createTeamRequest();
    create_team.setTeamName("Analysts");
    auto team_result = create_team.send().wait(wait);
    REQUIRE(team_result.getResult().isId());
    auto team = team_result.getResult().getId();

    auto invite = alice.inviteToTeamRequest();
    invite.setTeam(team);
    invite.setInvitee("bob");
    invite.initFlags().setViewDatasets(true);
    invite.setMessage("join us");
    auto invited = invite.send().wait(wait);
    REQUIRE(invited.getResult().isId());

    auto accept = bob.acceptInvitationRequest();
    accept.setInvitation(invited.getResult().getId());
    CHECK(accept.send().wait(wait).getResult().isOk());

    auto create_project = alice.createProjectRequest();
    create_project.setProjectName("Atlas");
    create_project.setKind(wire::ProjectKind::PROJECT);
    create_project.setSchema("simple");
    create_project.setPolicy(wire::Policy::HIGHEST);
    auto project_result = create_project.send().wait(wait);
    REQUIRE(project_result.getResult().isId());
    auto project = project_result.getResult().getId();

    auto grant = alice.grantTeamRequest();
    grant.setProject(project);
    grant.setTeam(team);
    auto level = grant.initAccess().initLevels(1)[0];
    level.setCategory("");
    level.setLevel("view");
    CHECK(grant.send().wait(wait).getResult().isOk());

    auto check = service.checkRequest();
    check.initUser().setName("bob");
    check.setProject(project);
    check.setAction("view_outputs");
    auto checked = check.send().wait(wait);
    REQUIRE(checked.getResult().isAllowed());
    CHECK(checked.getResult().getAllowed());

    // An error is a result.
    auto show = alice.showTeamRequest();
    show.setTeam(team + 1000);
    auto missing = show.send().wait(wait);
    REQUIRE(missing.getResult().isError());
    CHECK(missing.getResult().getError().getCode() == wire::ErrorCode::NOT_FOUND);

    // A user that does not exist: the session is handed out, its calls
    // answer unauthenticated.
    auto ghost = act_as("ghost").createTeamRequest();
    ghost.setTeamName("Nobody's");
    auto refused = ghost.send().wait(wait);
    REQUIRE(refused.getResult().isError());
    CHECK(refused.getResult().getError().getCode() == wire::ErrorCode::UNAUTHENTICATED);
  }).join();
  CHECK(server.stop() == 0);
}
