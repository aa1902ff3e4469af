// rosterd in a child process, driven through roster::Client as an embedding
// service would.
#include <catch2/catch.hpp>

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <memory>
#include <optional>
#include <thread>

#include "roster/client.hpp"
#include "roster/schema/roster.capnp.h"
#include "support/connected_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {
ProjectAccess level(const std::string& name) { return ProjectAccess{{Level{"", name}}, false, false}; }
}  // namespace

TEST_CASE("C1 end to end: team grant, check allowed, member leaves, check denied", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.ping().ok());

  auto alice = client.add_user("alice", "alice@example.org");
  auto bob = client.add_user("bob", "bob@example.org");
  REQUIRE(alice.ok());
  REQUIRE(bob.ok());
  auto as_alice = client.act_as("alice");
  auto as_bob = client.act_as(*bob);

  auto team = as_alice.create_team("Data Science", "🔬");
  REQUIRE(team.ok());
  auto inv = as_alice.invite_to_team(*team, "bob", MemberFlags{true, true});
  REQUIRE(inv.ok());
  auto inbox = as_bob.inbox();
  REQUIRE(inbox.ok());
  CHECK(inbox->unread == 1);
  REQUIRE(inbox->invitations.size() == 1);
  CHECK(inbox->invitations[0].id == *inv);
  REQUIRE(as_bob.accept_invitation(*inv).ok());

  auto project = as_alice.create_project("P");
  REQUIRE(project.ok());
  REQUIRE(as_alice.grant_team(*project, *team, level("edit")).ok());
  auto allowed = client.check("bob", *project, "view_files");
  REQUIRE(allowed.ok());
  CHECK(*allowed);

  REQUIRE(as_bob.leave_team(*team).ok());
  auto denied = client.check(*bob, *project, "view_files");
  REQUIRE(denied.ok());
  CHECK_FALSE(*denied);

  CHECK(server.stop() == 0);
}

TEST_CASE("U1 end to end: bad input answers its error code and changes nothing", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());

  CHECK(client.add_user("carol", "not-an-email").error().code == ErrorCode::invalid_argument);
  CHECK(client.add_user("ALICE", "other@example.org").error().code == ErrorCode::already_exists);
  CHECK(client.act_as("ghost").create_team("t").error().code == ErrorCode::unauthenticated);
  CHECK(client.act_as("alice").create_team(std::string(129, 'x')).error().code == ErrorCode::invalid_argument);
  CHECK(client.check("ghost", 1, "view_outputs").error().code == ErrorCode::not_found);
  // The refused e-mail was not reserved.
  CHECK(client.add_user("carol", "carol@example.org").ok());
  CHECK(server.stop() == 0);
}

TEST_CASE("I2 end to end: accepting someone else's invitation finds none", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  REQUIRE(client.add_user("mallory", "mallory@example.org").ok());
  auto team = client.act_as("alice").create_team("core");
  auto inv = client.act_as("alice").invite_to_team(*team, "bob");
  REQUIRE(inv.ok());
  // An outsider is not told that the invitation exists (I5); the inviter,
  // who knows it, is told they may not accept it.
  CHECK(client.act_as("mallory").accept_invitation(*inv).error().code == ErrorCode::not_found);
  CHECK(client.act_as("mallory").cancel_invitation(*inv).error().code == ErrorCode::not_found);
  CHECK(client.act_as("alice").accept_invitation(*inv).error().code == ErrorCode::permission_denied);
  auto show = client.act_as("alice").show_team(*team);
  REQUIRE(show.ok());
  CHECK(show->members.size() == 1);
  CHECK(server.stop() == 0);
}

TEST_CASE("a wrong service token is unauthenticated", "[e2e][security]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = Client::connect(server.address(), "not-the-token");
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().code == ErrorCode::unauthenticated);
  CHECK(server.stop() == 0);
}

TEST_CASE("errors are results: with a wrong token ping and every call answer unauthenticated, not an exception",
          "[e2e][security]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  // Raw RPC, as a client written from the schema alone would call.
  std::thread([&] {
    auto io = kj::setupAsyncIo();
    auto address = io.provider->getNetwork().parseAddress(server.address()).wait(io.waitScope);
    auto stream = address->connect().wait(io.waitScope);
    capnp::TwoPartyClient rpc(*stream);
    auto bootstrap = rpc.bootstrap().castAs<wire::Bootstrap>();

    auto wrong = bootstrap.authenticateRequest();
    wrong.setToken("not-the-token");
    auto refused = wrong.send().wait(io.waitScope);
    REQUIRE(refused.getStatus().isError());
    CHECK(refused.getStatus().getError().getCode() == wire::ErrorCode::UNAUTHENTICATED);
    auto stranger = refused.getService();
    auto ping = stranger.pingRequest().send().wait(io.waitScope);
    REQUIRE(ping.getResult().isError());
    CHECK(ping.getResult().getError().getCode() == wire::ErrorCode::UNAUTHENTICATED);
    auto add = stranger.addUserRequest();
    add.setUsername("mallory");
    add.setEmail("mallory@example.org");
    auto added = add.send().wait(io.waitScope);
    REQUIRE(added.getResult().isError());
    CHECK(added.getResult().getError().getCode() == wire::ErrorCode::UNAUTHENTICATED);

    // The token file read whole, its newline included, is the token.
    auto right = bootstrap.authenticateRequest();
    right.setToken(server.token() + "\n");
    auto accepted = right.send().wait(io.waitScope);
    REQUIRE(accepted.getStatus().isOk());
    CHECK(accepted.getService().pingRequest().send().wait(io.waitScope).getResult().isOk());
  }).join();
  CHECK(server.stop() == 0);
}

TEST_CASE("C6 end to end: a clean stop and a restart keep everything", "[e2e][durability]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  Id project = 0;
  {
    auto client = connect(server);
    REQUIRE(client.add_user("alice", "alice@example.org").ok());
    auto p = client.act_as("alice").create_project("P");
    REQUIRE(p.ok());
    project = *p;
  }
  CHECK(server.stop() == 0);
  server.start();
  auto client = connect(server);
  auto owner = client.check("alice", project, "invite_own");
  REQUIRE(owner.ok());
  CHECK(*owner);
  CHECK(server.stop() == 0);
}

TEST_CASE("C6 a second rosterd on the same data directory refuses to start", "[e2e][durability]") {
  temp_dir dir;
  server_process first(dir.path() + "/data");
  server_process second(dir.path() + "/data");
  first.start();
  CHECK_THROWS_WITH(second.start(), Catch::Contains("another rosterd is using"));
  auto client = Client::connect(first.address(), first.token());
  REQUIRE(client.ok());
  CHECK(client->ping().ok());
  CHECK(first.stop() == 0);
}

TEST_CASE("C2 end to end: 10,000 checks in one call, one outcome each, in order", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  auto bob = client.add_user("bob", "bob@example.org");
  REQUIRE(bob.ok());
  auto as_alice = client.act_as("alice");
  auto project = as_alice.create_project("P");
  REQUIRE(project.ok());
  std::vector<CheckTriple> checks;
  for (int i = 0; i < 10000; ++i)
    checks.push_back(CheckTriple{i % 2 ? UserRef("alice") : UserRef(*bob), *project, "view_outputs"});
  checks[17].action = "no_such_action";
  auto outcomes = client.check_bulk(checks);
  REQUIRE(outcomes.ok());
  REQUIRE(outcomes->size() == 10000);
  CHECK((*outcomes)[1].allowed);
  CHECK_FALSE((*outcomes)[2].allowed);
  CHECK((*outcomes)[17].error == ErrorCode::invalid_argument);
  std::size_t allowed = 0;
  for (auto& o : *outcomes) allowed += o.allowed;
  CHECK(allowed == 4999);  // every odd index but 17
  checks.push_back(checks.back());
  auto too_many = client.check_bulk(checks);
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("C1 end to end: checks started together travel as batches and each gets its own answer", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  auto alice = client.add_user("alice", "alice@example.org");
  auto bob = client.add_user("bob", "bob@example.org");
  REQUIRE(alice.ok());
  REQUIRE(bob.ok());
  auto as_alice = client.act_as(*alice);
  auto first = as_alice.create_project("first");
  auto second = as_alice.create_project("second");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  auto inv = as_alice.invite_to_project(*second, "bob", level("view"));
  REQUIRE(inv.ok());
  REQUIRE(client.act_as(*bob).accept_invitation(*inv).ok());

  // 12,000 checks in one turn: two bulk calls (10,000 at most each). Bob
  // may view the second project only; some ask about a project that does
  // not exist or an action no schema has, by id or by name.
  struct expected {
    std::optional<bool> allowed;
    std::optional<ErrorCode> error;
  };
  std::vector<expected> want;
  std::vector<std::optional<Result<bool>>> got(12000);
  for (int i = 0; i < 12000; ++i) {
    UserRef who = i % 3 == 0 ? UserRef("bob") : UserRef(*bob);
    Id project = i % 2 ? *second : *first;
    std::string action = "view_outputs";
    if (i % 101 == 0) project = 999999;
    if (i % 103 == 0) action = "fly";
    if (i % 101 == 0)
      want.push_back({std::nullopt, ErrorCode::not_found});
    else if (i % 103 == 0)
      want.push_back({std::nullopt, ErrorCode::invalid_argument});
    else
      want.push_back({project == *second, std::nullopt});
    client.check_async(who, project, action, [&got, i](Result<bool> r) { got[i] = std::move(r); });
  }
  client.run_until_idle();
  std::size_t mismatches = 0;
  for (int i = 0; i < 12000; ++i) {
    REQUIRE(got[i].has_value());
    auto& r = *got[i];
    bool right = want[i].error ? (!r.ok() && r.error().code == *want[i].error) : (r.ok() && *r == *want[i].allowed);
    mismatches += !right;
  }
  CHECK(mismatches == 0);

  // A check alone is a plain call: its error keeps the server's message.
  std::optional<Result<bool>> alone;
  client.check_async(*bob, *second, "fly", [&](Result<bool> r) { alone = std::move(r); });
  client.run_until_idle();
  REQUIRE(alone.has_value());
  REQUIRE_FALSE(alone->ok());
  CHECK(alone->error().message.find("fly") != std::string::npos);
}

TEST_CASE("client: the Clients of one thread share its event loop and each gets its own answers", "[e2e][client]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto first = std::make_unique<Client>(connect(server));
  auto second = connect(server);  // same thread: shares first's loop
  auto alice = first->add_user("alice", "alice@example.org");
  REQUIRE(alice.ok());
  auto project = second.act_as(*alice).create_project("P");
  REQUIRE(project.ok());

  // Started on both, driven by waiting on one: the other's answers arrive
  // in the same loop.
  std::vector<std::optional<Result<bool>>> from_first(50), from_second(50);
  for (std::size_t i = 0; i < 50; ++i) {
    first->check_async(*alice, *project, "view_outputs", [&, i](Result<bool> r) { from_first[i] = std::move(r); });
    second.check_async(*alice, i % 2 ? *project : 999999, "view_outputs",
                       [&, i](Result<bool> r) { from_second[i] = std::move(r); });
  }
  first->run_until_idle();
  second.run_until_idle();
  for (std::size_t i = 0; i < 50; ++i) {
    REQUIRE(from_first[i].has_value());
    REQUIRE(from_second[i].has_value());
    CHECK((from_first[i]->ok() && **from_first[i]));
    if (i % 2)
      CHECK((from_second[i]->ok() && **from_second[i]));
    else
      CHECK((!from_second[i]->ok() && from_second[i]->error().code == ErrorCode::not_found));
  }

  // The loop outlives the Client that made it.
  first.reset();
  auto after = second.check(*alice, *project, "view_outputs");
  REQUIRE(after.ok());
  CHECK(*after);
}

TEST_CASE("client: the asynchronous writes change what their synchronous forms change and answer their errors",
          "[e2e][client]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  // Each step starts the next from its callback, as a loader chains them.
  std::optional<Result<Id>> alice, bob, carol, taken, team, project, team_invitation, project_invitation;
  std::optional<Result<void>> joined_team, joined_project, granted, granted_unknown;
  client.add_user_async("alice", "alice@example.org", [&](Result<Id> r) { alice = std::move(r); });
  client.add_user_async("bob", "bob@example.org", [&](Result<Id> r) { bob = std::move(r); });
  client.add_user_async("carol", "carol@example.org", [&](Result<Id> r) { carol = std::move(r); });
  client.run_until_idle();
  client.add_user_async("alice", "other@example.org", [&](Result<Id> r) { taken = std::move(r); });
  REQUIRE((alice && alice->ok() && bob && bob->ok() && carol && carol->ok()));
  auto as_alice = client.act_as(**alice);
  auto as_bob = client.act_as(**bob);
  auto as_carol = client.act_as(**carol);
  as_alice.create_team_async("Data Science", [&](Result<Id> r) {
    team = std::move(r);
    if (!team->ok()) return;
    as_alice.invite_to_team_async(**team, "bob", MemberFlags{true, false}, [&](Result<Id> inv) {
      team_invitation = std::move(inv);
      if (team_invitation->ok())
        as_bob.accept_invitation_async(**team_invitation, [&](Result<void> r) { joined_team = std::move(r); });
    });
  });
  as_alice.create_project_async("P", [&](Result<Id> r) {
    project = std::move(r);
    if (!project->ok()) return;
    as_alice.invite_to_project_async(**project, "carol", level("edit"), [&](Result<Id> inv) {
      project_invitation = std::move(inv);
      if (project_invitation->ok())
        as_carol.accept_invitation_async(**project_invitation, [&](Result<void> r) { joined_project = std::move(r); });
    });
    as_alice.grant_team_async(**project, 999999, level("view"),
                              [&](Result<void> r) { granted_unknown = std::move(r); });
  });
  client.run_until_idle();
  REQUIRE(joined_team.has_value());
  REQUIRE(joined_team->ok());
  REQUIRE(joined_project.has_value());
  REQUIRE(joined_project->ok());
  as_alice.grant_team_async(**project, **team, level("view"), [&](Result<void> r) { granted = std::move(r); });
  client.run_until_idle();
  REQUIRE(granted.has_value());
  CHECK(granted->ok());

  REQUIRE(taken.has_value());
  REQUIRE_FALSE(taken->ok());
  CHECK(taken->error().code == ErrorCode::already_exists);
  REQUIRE(granted_unknown.has_value());
  REQUIRE_FALSE(granted_unknown->ok());
  CHECK(granted_unknown->error().code == ErrorCode::not_found);

  auto shown = as_alice.show_team(**team);
  REQUIRE(shown.ok());
  CHECK(shown->members.size() == 2);  // alice, its manager, and bob
  auto project_shown = as_alice.show_project(**project);
  REQUIRE(project_shown.ok());
  CHECK(project_shown->kind == ProjectKind::project);
  auto bob_views = client.check(**bob, **project, "view_outputs");
  auto carol_edits = client.check(**carol, **project, "edit_content");
  auto bob_edits = client.check(**bob, **project, "edit_content");
  REQUIRE((bob_views.ok() && carol_edits.ok() && bob_edits.ok()));
  CHECK(*bob_views);
  CHECK(*carol_edits);
  CHECK_FALSE(*bob_edits);
  CHECK(server.stop() == 0);
}

TEST_CASE("rpc threads: connections spread over three loops are each served, see one state, and stop cleanly",
          "[e2e][rpc]") {
  // Loops that sleep as soon as they are idle, and loops that poll for 5 ms
  // after each frame (server/busy_poll.hpp).
  auto busy_poll_us = GENERATE(as<std::string>{}, "0", "5000");
  temp_dir dir;
  server_process server(dir.path() + "/data", {"--rpc-threads=3", "--busy-poll-us=" + busy_poll_us});
  server.start();
  std::vector<Client> clients;
  for (int i = 0; i < 6; ++i) clients.push_back(connect(server));  // two on each loop
  auto alice = clients[0].add_user("alice", "alice@example.org");
  REQUIRE(alice.ok());
  auto project = clients[1].act_as(*alice).create_project("P");
  REQUIRE(project.ok());
  for (std::size_t i = 0; i < clients.size(); ++i) {
    auto user = clients[i].add_user("user" + std::to_string(i), "user" + std::to_string(i) + "@example.org");
    REQUIRE(user.ok());                                                  // through this loop's bridge to the actors
    auto by_id = clients[i].check(*alice, *project, "view_outputs");     // from the check index on this loop
    auto by_name = clients[i].check("alice", *project, "view_outputs");  // through the actors
    auto stranger = clients[i].check(*user, *project, "view_outputs");
    REQUIRE((by_id.ok() && by_name.ok() && stranger.ok()));
    CHECK(*by_id);
    CHECK(*by_name);
    CHECK_FALSE(*stranger);
  }
  // A grant made through one loop is seen through every other.
  auto inv = clients[2].act_as(*alice).invite_to_project(*project, "user5", level("view"));
  REQUIRE(inv.ok());
  REQUIRE(clients[3].act_as("user5").accept_invitation(*inv).ok());
  for (auto& client : clients) {
    auto granted = client.check("user5", *project, "view_outputs");
    REQUIRE(granted.ok());
    CHECK(*granted);
  }
  clients.clear();
  CHECK(server.stop() == 0);
}

TEST_CASE("C3 C4 P6 end to end: explain, lookups and a hand-over through the client", "[e2e]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  auto alice = client.add_user("alice", "alice@example.org");
  auto bob = client.add_user("bob", "bob@example.org");
  REQUIRE((alice.ok() && bob.ok()));
  auto as_alice = client.act_as("alice");
  auto as_bob = client.act_as("bob");
  auto project = as_alice.create_project("P");
  REQUIRE(project.ok());
  auto inv = as_alice.invite_to_project(*project, "bob", level("edit"));
  REQUIRE(inv.ok());
  REQUIRE(as_bob.accept_invitation(*inv).ok());
  auto why = client.explain("bob", *project);
  REQUIRE(why.ok());
  CHECK(why->basis == "grants");
  REQUIRE(why->access.levels.size() == 1);
  CHECK(why->access.levels[0].level == "edit");
  auto projects = client.lookup_projects("bob", "launch_runs");
  REQUIRE(projects.ok());
  REQUIRE(projects->projects.size() == 1);
  CHECK(projects->projects[0].id == *project);
  auto users = client.lookup_users(*project, "launch_runs");
  REQUIRE(users.ok());
  CHECK(users->users == std::vector<Id>{*alice, *bob});
  REQUIRE(as_alice.transfer_project(*project, "bob").ok());
  auto shown = as_bob.show_project(*project);
  REQUIRE(shown.ok());
  CHECK(shown->owner == *bob);
  REQUIRE(as_bob.set_level(*project, GrantSubject::of_user("alice"), {Level{"", "view"}}).ok());
  CHECK_FALSE(*client.check("alice", *project, "launch_runs"));
  auto collaborators = as_bob.collaborators(*project);
  REQUIRE(collaborators.ok());
  REQUIRE(collaborators->size() == 1);
  CHECK((*collaborators)[0].name == "alice");
  auto events = as_bob.activity(*project, 1);
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK(events->front().what == "set the level of user alice to project=view");
  REQUIRE(as_bob.delete_project(*project).ok());
  auto gone = as_bob.list_projects();
  REQUIRE(gone.ok());
  CHECK(gone->projects.empty());
}

namespace {

struct flood_outcome {
  std::size_t allowed = 0;
  std::size_t overloaded = 0;
};

// 200 checks by name (answered by the actors, through the bridge) over one
// connection, spread over `services` authenticated services, all sent in one
// turn. Raw RPC, not roster::Client: the library would batch them into one
// call. On a thread of its own: this one has the client's event loop.
flood_outcome flood_with_checks(const server_process& server, Id project, int services) {
  flood_outcome out;
  std::thread([&] {
    auto io = kj::setupAsyncIo();
    auto address = io.provider->getNetwork().parseAddress(server.address()).wait(io.waitScope);
    auto stream = address->connect().wait(io.waitScope);
    capnp::TwoPartyClient rpc(*stream);
    kj::Vector<wire::Service::Client> authenticated;
    for (int i = 0; i < services; ++i) {
      auto auth = rpc.bootstrap().castAs<wire::Bootstrap>().authenticateRequest();
      auth.setToken(server.token());
      authenticated.add(auth.send().getService());
    }
    kj::Vector<kj::Promise<void>> calls;
    for (int i = 0; i < 200; ++i) {
      auto request = authenticated[i % services].checkRequest();
      request.initUser().setName("alice");
      request.setProject(project);
      request.setAction("view_outputs");
      calls.add(request.send().then([&](auto&& response) {
        auto result = response.getResult();
        if (result.isAllowed() && result.getAllowed()) ++out.allowed;
        if (result.isError() && result.getError().getCode() == wire::ErrorCode::OVERLOADED) ++out.overloaded;
      }));
    }
    kj::joinPromises(calls.releaseAsArray()).wait(io.waitScope);
  }).join();
  return out;
}

// rosterd with `flags`; alice and her project; a flood of checks from one
// connection with `services` services: some answered, the rest overloaded at
// once; then another connection is served.
void flood_then_serve(std::vector<std::string> flags, int services) {
  temp_dir dir;
  server_process server(dir.path() + "/data", std::move(flags));
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  auto project = client.act_as("alice").create_project("P");
  REQUIRE(project.ok());
  auto flood = flood_with_checks(server, *project, services);
  CHECK(flood.allowed + flood.overloaded == 200);
  CHECK(flood.allowed >= 2);
  CHECK(flood.overloaded > 0);
  auto after = client.check("alice", *project, "view_outputs");
  REQUIRE(after.ok());
  CHECK(*after);
}

}  // namespace

TEST_CASE("overloaded: beyond the calls-in-flight limit the server answers at once, then serves again",
          "[e2e][overload]") {
  auto rpc_threads = GENERATE(as<std::string>{}, "1", "2");  // the limit is the server's, whatever loop serves
  flood_then_serve({"--max-in-flight=2", "--rpc-threads=" + rpc_threads}, 1);
}

TEST_CASE("overloaded: one connection beyond its own limit is answered at once, whatever its services, others go on",
          "[e2e][overload]") {
  // The server's limit is far away; the connection's is 2, shared by its
  // two services.
  flood_then_serve({"--max-in-flight-per-connection=2"}, 2);
}
