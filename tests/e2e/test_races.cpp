// Two changes that touch two actors, sent at the same moment from two
// connections, many times over with random offsets (issue: hardening,
// "Rights", item 3): whatever the interleaving, each ends in a state one of
// the two orders would give. ROSTER_RACE_SEED=N replays a run.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "roster/client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

constexpr int rounds = 40;

std::uint64_t race_seed() {
  const char* value = std::getenv("ROSTER_RACE_SEED");
  return value && *value ? std::strtoull(value, nullptr, 10) : std::random_device{}();
}

// Runs `first` and `second` at once, each on a connection of its own, the
// second offset by a random -1.5..1.5 ms.
class racer {
 public:
  explicit racer(const server_process& server) : server_(server), seed_(race_seed()), random_(seed_) {}
  std::uint64_t seed() const { return seed_; }

  void race(const std::function<void(Client&)>& first, const std::function<void(Client&)>& second) {
    auto offset = std::uniform_int_distribution<int>(-1500, 1500)(random_);
    std::atomic<int> ready{0};
    auto run = [&](const std::function<void(Client&)>& change, int delay_us) {
      auto client = Client::connect(server_.address(), server_.token());
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      if (delay_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
      if (client) change(*client);
    };
    std::thread a(run, std::cref(first), offset < 0 ? -offset : 0);
    std::thread b(run, std::cref(second), offset > 0 ? offset : 0);
    a.join();
    b.join();
  }

 private:
  const server_process& server_;
  std::uint64_t seed_;
  std::mt19937_64 random_;
};

// A fresh rosterd with one user, alice, who makes the teams and projects.
struct scene {
  temp_dir dir;
  server_process server{dir.path() + "/data"};
  Client client = start(server);
  racer racing{server};
  Session alice = add(client, "alice");

  static Client start(server_process& server) {
    server.start();
    auto client = Client::connect(server.address(), server.token());
    REQUIRE(client.ok());
    return std::move(client).value();
  }
  static Session add(Client& client, const std::string& name) {
    REQUIRE(client.add_user(name, name + "@example.org").ok());
    return client.act_as(UserRef(name));
  }
  // A team of alice's that admits users directly (T6).
  Id direct_team(const std::string& name) {
    auto team = alice.create_team(name);
    REQUIRE(team.ok());
    REQUIRE(alice.set_team(*team, TeamChanges{std::nullopt, std::nullopt, Admission::direct}).ok());
    return *team;
  }
};

// What a racing call's result holds until the call has run.
template <class T>
Result<T> not_run() {
  return Error{ErrorCode::unavailable, "not run"};
}

ProjectAccess view() { return ProjectAccess{{Level{"", "view"}}, false, false}; }

}  // namespace

TEST_CASE("T9 a team deleted while a project grants it keeps no grant, whatever the interleaving", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  int granted = 0;
  for (int round = 0; round < rounds; ++round) {
    auto team = alice.create_team("t" + std::to_string(round));
    auto project = alice.create_project("p" + std::to_string(round));
    REQUIRE(team.ok());
    REQUIRE(project.ok());
    auto deleted = not_run<void>(), grant = not_run<void>();
    s.racing.race([&](Client& c) { deleted = c.act_as("alice").delete_team(*team); },
                  [&](Client& c) { grant = c.act_as("alice").grant_team(*project, *team, view()); });
    REQUIRE(deleted.ok());
    if (grant.ok())
      ++granted;
    else
      CHECK(grant.error().code == ErrorCode::not_found);
    auto collaborators = alice.collaborators(*project);
    REQUIRE(collaborators.ok());
    for (const auto& c : *collaborators) CHECK_FALSE((c.kind == CollaboratorKind::team && c.subject == *team));
  }
  WARN(granted << " of " << rounds << " grants were answered before the deletion");
}

TEST_CASE("T9 I5 a team deleted while someone is invited to it leaves no pending invitation", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  scene::add(s.client, "bob");
  auto& alice = s.alice;
  for (int round = 0; round < rounds; ++round) {
    auto team = alice.create_team("t" + std::to_string(round));
    REQUIRE(team.ok());
    auto deleted = not_run<void>();
    auto invited = not_run<Id>();
    s.racing.race([&](Client& c) { deleted = c.act_as("alice").delete_team(*team); },
                  [&](Client& c) { invited = c.act_as("alice").invite_to_team(*team, "bob"); });
    REQUIRE(deleted.ok());
    if (!invited.ok()) CHECK(invited.error().code == ErrorCode::not_found);
  }
  auto inbox = s.client.act_as("bob").inbox(InboxQuery{InvitationStatus::pending, 1000, 0});
  REQUIRE(inbox.ok());
  CHECK(inbox->invitations.empty());
}

TEST_CASE("U4 a user removed while accepting invitations ends in no team and no project", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  auto team = alice.create_team("core");
  auto project = alice.create_project("atlas");
  REQUIRE(team.ok());
  REQUIRE(project.ok());
  for (int round = 0; round < rounds; ++round) {
    auto name = "user" + std::to_string(round);
    REQUIRE(s.client.add_user(name, name + "@example.org").ok());
    auto to_team = alice.invite_to_team(*team, name);
    auto to_project = alice.invite_to_project(*project, name, view());
    REQUIRE(to_team.ok());
    REQUIRE(to_project.ok());
    auto removed = not_run<void>();
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) {
                    auto session = c.act_as(UserRef(name));
                    (void)session.accept_invitation(*to_team);
                    (void)session.accept_invitation(*to_project);
                  });
    INFO("round " << round << ": " << (removed.ok() ? "removed" : removed.error().message));
    REQUIRE(removed.ok());
    auto shown = alice.show_team(*team);
    REQUIRE(shown.ok());
    for (const auto& m : shown->members) CHECK(m.username != name);
    auto collaborators = alice.collaborators(*project);
    REQUIRE(collaborators.ok());
    for (const auto& c : *collaborators) CHECK_FALSE((c.kind == CollaboratorKind::user && c.name == name));
    auto allowed = s.client.check(UserRef(name), *project, "view_outputs");
    CHECK_FALSE((allowed.ok() && *allowed));
  }
}

TEST_CASE("T8 handing a team over while the new manager leaves keeps exactly one manager", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  scene::add(s.client, "bob");
  auto& alice = s.alice;
  for (int round = 0; round < rounds; ++round) {
    auto team = s.direct_team("t" + std::to_string(round));
    REQUIRE(alice.add_to_team(team, UserRef("bob")).ok());
    auto handed = not_run<void>(), left = not_run<void>();
    s.racing.race([&](Client& c) { handed = c.act_as("alice").transfer_team(team, UserRef("bob")); },
                  [&](Client& c) { left = c.act_as("bob").leave_team(team); });
    // Either bob left first (the hand-over finds no such member) or he
    // became the manager first (and may not leave).
    CHECK(handed.ok() != left.ok());
    auto shown = alice.show_team(team);
    REQUIRE(shown.ok());
    int managers = 0;
    for (const auto& m : shown->members) managers += m.role == TeamRole::manager;
    CHECK(managers == 1);
  }
}

TEST_CASE("U5 an invitation to an address racing its registration reaches the new user's inbox", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  for (int round = 0; round < rounds; ++round) {
    auto name = "newcomer" + std::to_string(round);
    auto address = name + "@example.org";
    auto added = not_run<Id>(), invited = not_run<Id>();
    s.racing.race([&](Client& c) { added = c.add_user(name, address); },
                  [&](Client& c) { invited = c.act_as("alice").invite_to_team(*team, address); });
    REQUIRE(added.ok());
    REQUIRE(invited.ok());
    auto inbox = s.client.act_as(UserRef(name)).inbox();
    REQUIRE(inbox.ok());
    REQUIRE(inbox->invitations.size() == 1);
    CHECK(inbox->invitations[0].id == *invited);
    CHECK(inbox->invitations[0].invitee == *added);
    CHECK(inbox->unread == 1);
    // Bound to the user: they accept it as their own.
    CHECK(s.client.act_as(UserRef(name)).accept_invitation(*invited).ok());
  }
}

TEST_CASE("U4 a removal racing a hand-over of a project to the user ends refused or complete", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  int refused = 0;
  for (int round = 0; round < rounds; ++round) {
    auto name = "heir" + std::to_string(round);
    auto heir = s.client.add_user(name, name + "@example.org");
    auto project = alice.create_project("p" + std::to_string(round));
    REQUIRE(heir.ok());
    REQUIRE(project.ok());
    auto removed = not_run<void>(), handed = not_run<void>();
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) { handed = c.act_as("alice").transfer_project(*project, UserRef(name)); });
    auto shown = s.client.as_service().show_project(*project);
    auto user = s.client.as_service().show_user(UserRef(name));
    REQUIRE(shown.ok());
    REQUIRE(user.ok());
    if (removed.ok()) {
      // Complete: the hand-over lost, and the project stayed alice's.
      CHECK(user->removed);
      CHECK_FALSE(handed.ok());
      CHECK(shown->owner != *heir);
    } else {
      // Refused: nothing of the removal happened.
      ++refused;
      CHECK(removed.error().code == ErrorCode::owns_projects);
      CHECK_FALSE(user->removed);
      CHECK(handed.ok());
      CHECK(shown->owner == *heir);
    }
  }
  WARN(refused << " of " << rounds << " removals were refused: the hand-over came first");
}

TEST_CASE("U4 a removal racing the user's own new project or team ends refused or complete", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  for (int round = 0; round < rounds; ++round) {
    auto name = "maker" + std::to_string(round);
    REQUIRE(s.client.add_user(name, name + "@example.org").ok());
    auto removed = not_run<void>();
    auto project = not_run<Id>(), team = not_run<Id>();
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) {
                    auto session = c.act_as(UserRef(name));
                    team = session.create_team("t" + std::to_string(round));
                    project = session.create_project("p" + std::to_string(round));
                  });
    auto user = s.client.as_service().show_user(UserRef(name));
    REQUIRE(user.ok());
    if (removed.ok()) {
      CHECK(user->removed);
      // Whatever they made before the mark is not theirs any more: the
      // project creation lost (a removed user owns nothing), the team was
      // handed on or deleted.
      CHECK_FALSE(project.ok());
      if (team.ok()) {
        auto shown = s.client.as_service().show_team(*team);
        if (shown.ok())
          for (const auto& m : shown->members) CHECK(m.username != name);
      }
    } else {
      CHECK(removed.error().code == ErrorCode::owns_projects);
      CHECK_FALSE(user->removed);
      CHECK(project.ok());
    }
  }
}

TEST_CASE("U4 a removal racing a direct addition to a team leaves the user out of it", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  auto team = s.direct_team("direct");
  for (int round = 0; round < rounds; ++round) {
    auto name = "joiner" + std::to_string(round);
    REQUIRE(s.client.add_user(name, name + "@example.org").ok());
    auto removed = not_run<void>(), added = not_run<void>();
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) { added = c.act_as("alice").add_to_team(team, UserRef(name)); });
    REQUIRE(removed.ok());
    if (!added.ok()) CHECK(added.error().code == ErrorCode::user_removed);
    auto shown = alice.show_team(team);
    REQUIRE(shown.ok());
    for (const auto& m : shown->members) CHECK(m.username != name);
  }
}

TEST_CASE("U4 a removal racing an invitation to the user leaves no pending invitation", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  for (int round = 0; round < rounds; ++round) {
    auto name = "guest" + std::to_string(round);
    REQUIRE(s.client.add_user(name, name + "@example.org").ok());
    auto removed = not_run<void>();
    auto invited = not_run<Id>();
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) { invited = c.act_as("alice").invite_to_team(*team, name); });
    REQUIRE(removed.ok());
    if (!invited.ok()) CHECK(invited.error().code == ErrorCode::user_removed);
    auto shown = alice.show_team(*team);
    REQUIRE(shown.ok());
    for (const auto& inv : shown->invitations)
      if (inv.invitee_name == name) CHECK(inv.status != InvitationStatus::pending);
  }
}

TEST_CASE("U4 a removal racing an invitation the user sends leaves no pending invitation from them", "[e2e][race]") {
  scene s;
  INFO("ROSTER_RACE_SEED=" << s.racing.seed());
  auto& alice = s.alice;
  auto team = s.direct_team("core");
  for (int round = 0; round < rounds; ++round) {
    auto name = "admin" + std::to_string(round);
    REQUIRE(s.client.add_user(name, name + "@example.org").ok());
    REQUIRE(alice.add_to_team(team, UserRef(name)).ok());
    REQUIRE(alice.set_team_admin(team, UserRef(name), true).ok());
    auto removed = not_run<void>();
    auto invited = not_run<Id>();
    auto address = "guest" + std::to_string(round) + "@example.org";
    s.racing.race([&](Client& c) { removed = c.as_service().remove_user(UserRef(name)); },
                  [&](Client& c) { invited = c.act_as(UserRef(name)).invite_to_team(team, address); });
    REQUIRE(removed.ok());
    if (!invited.ok()) CHECK(invited.error().code == ErrorCode::unauthenticated);
    auto shown = alice.show_team(team);
    REQUIRE(shown.ok());
    for (const auto& inv : shown->invitations)
      if (inv.inviter_name == name) CHECK(inv.status != InvitationStatus::pending);
  }
}
