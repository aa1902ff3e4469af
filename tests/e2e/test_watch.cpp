// C8 watch through rosterd and roster::Client: every change after a
// revision, once each, in revision order, across restarts and crashes, from
// a window the server keeps; before it, revision_too_old.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "roster/client.hpp"
#include "support/connected_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace roster;
using roster::testing::connect;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

// A change as a line a test compares: what kind, about what, and what it says.
std::string signature(const Change& c) {
  std::string s = to_string(c.kind);
  switch (c.kind) {
    case ChangeKind::user:
      s += " " + c.user.username + " " + to_string(c.user.role);
      break;
    case ChangeKind::team:
      s += " " + c.team.name;
      break;
    case ChangeKind::member:
      s += " " + std::to_string(c.member_team) + "/" + std::to_string(c.member.user);
      if (!c.removed) s += std::string(" ") + to_string(c.member.role);
      break;
    case ChangeKind::invitation:
      s += " " + c.invitation.target_name + " " + c.invitation.invitee_name + " " + to_string(c.invitation.status);
      break;
    case ChangeKind::project:
      s += " " + c.project.name + " owner " + std::to_string(c.project.owner);
      break;
    case ChangeKind::grant:
      s += " " + std::to_string(c.grant.project) + (c.grant.to_team ? " team " : " user ") +
           std::to_string(c.grant.subject);
      for (auto level : c.grant.levels) s += " " + std::to_string(level);
      break;
  }
  if (c.removed) s += " removed";
  return s;
}

struct seen_change {
  std::uint64_t revision;
  std::string what;
};

// Watches from `after` on its own thread (a Client belongs to its thread)
// until a change whose signature begins with `until` arrives, or the watch
// ends. Should a test fail before that change comes, the server is killed
// so that the watch ends and the thread can be joined.
class watcher {
 public:
  watcher(server_process& server, std::optional<std::uint64_t> after, std::string until)
      : server_(server),
        thread_([this, address = server.address(), token = server.token(), after, until = std::move(until)] {
          auto client = Client::connect(address, token);
          if (client) {
            auto watched = client->watch(after, [&](const std::vector<Change>& changes) {
              std::lock_guard<std::mutex> guard(mutex_);
              bool done = false;
              for (const auto& c : changes) {
                seen_.push_back({c.revision, signature(c)});
                done |= seen_.back().what.rfind(until, 0) == 0;
              }
              return !done;
            });
            if (!watched) ended_ = watched.error();
          } else {
            ended_ = client.error();
          }
          finished_ = true;
        }) {}
  ~watcher() {
    if (!thread_.joinable()) return;
    if (!finished_ && server_.running()) server_.kill_hard();
    thread_.join();
  }

  bool finished() const { return finished_; }
  // Once the watch is over.
  std::vector<seen_change> seen() {
    thread_.join();
    return seen_;
  }
  const std::optional<Error>& ended() const { return ended_; }

 private:
  server_process& server_;
  std::mutex mutex_;
  std::vector<seen_change> seen_;
  std::optional<Error> ended_;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

std::vector<std::string> whats(const std::vector<seen_change>& seen) {
  std::vector<std::string> out;
  for (const auto& s : seen) out.push_back(s.what);
  return out;
}

bool in_revision_order(const std::vector<seen_change>& seen) {
  for (std::size_t i = 1; i < seen.size(); ++i)
    if (seen[i].revision < seen[i - 1].revision) return false;
  return true;
}

ProjectAccess level(const std::string& name) {
  ProjectAccess access;
  access.levels.push_back(Level{"", name});
  return access;
}

}  // namespace

TEST_CASE("C8 a watch sees every kind of change once, in revision order, each by the revision its write answered",
          "[e2e][watch]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  auto client = connect(server);
  watcher watch(server, 0, "user zz_end standard");

  // Each step, the changes it makes, and the revision its answer carried.
  struct step {
    std::vector<std::string> changes;
    std::uint64_t answered;
  };
  std::vector<step> steps;
  auto done = [&](std::vector<std::string> changes) { steps.push_back({std::move(changes), client.revision()}); };

  REQUIRE(client.add_user("alice", "alice@example.org").ok());
  done({"user alice standard"});
  REQUIRE(client.add_user("bob", "bob@example.org").ok());
  done({"user bob standard"});
  REQUIRE(client.add_user("carol", "carol@example.org").ok());
  done({"user carol standard"});
  auto alice = client.act_as("alice");
  auto team = alice.create_team("core");
  REQUIRE(team.ok());
  auto t = std::to_string(*team);
  done({"team core", "member " + t + "/1 manager"});
  auto team_invitation = alice.invite_to_team(*team, "bob");
  REQUIRE(team_invitation.ok());
  done({"invitation core bob pending"});
  REQUIRE(client.act_as("bob").accept_invitation(*team_invitation).ok());
  done({"invitation core bob accepted", "member " + t + "/2 member"});
  REQUIRE(alice.set_team_admin(*team, "bob", true).ok());
  done({"member " + t + "/2 admin"});
  auto project = alice.create_project("atlas");
  REQUIRE(project.ok());
  auto p = std::to_string(*project);
  done({"project atlas owner 1"});
  REQUIRE(alice.grant_team(*project, *team, level("view")).ok());
  done({"grant " + p + " team " + t + " 1"});
  auto project_invitation = alice.invite_to_project(*project, "carol", level("edit"));
  REQUIRE(project_invitation.ok());
  done({"invitation atlas carol pending"});
  REQUIRE(client.act_as("carol").accept_invitation(*project_invitation).ok());
  done({"invitation atlas carol accepted", "grant " + p + " user 3 2"});
  REQUIRE(alice.set_level(*project, GrantSubject::of_user("carol"), {Level{"", "view"}}).ok());
  done({"grant " + p + " user 3 1"});
  REQUIRE(alice.revoke(*project, GrantSubject::of_user("carol")).ok());
  done({"grant " + p + " user 3 removed"});
  REQUIRE(alice.remove_from_team(*team, "bob").ok());
  done({"member " + t + "/2 removed"});
  REQUIRE(client.as_service().set_role("carol", PlatformRole::read_only).ok());
  done({"user carol read_only"});
  REQUIRE(alice.delete_team(*team).ok());
  done({"team core removed"});
  REQUIRE(alice.delete_project(*project).ok());
  done({"project atlas owner 1 removed"});
  REQUIRE(client.add_user("zz_end", "end@example.org").ok());

  auto seen = watch.seen();
  REQUIRE_FALSE(watch.ended());
  CHECK(in_revision_order(seen));
  // Each step's changes come once, after the step before's answer and by
  // its own; work a change leaves to be done later (a deleted team's grants
  // revoked from the projects) comes once too, later.
  std::multiset<std::string> expected_later = {"grant " + p + " team " + t + " removed"};
  std::multiset<std::string> all_expected(expected_later);
  for (const auto& s : steps) all_expected.insert(s.changes.begin(), s.changes.end());
  all_expected.insert("user zz_end standard");
  auto all_seen = whats(seen);
  CHECK(std::multiset<std::string>(all_seen.begin(), all_seen.end()) == all_expected);
  std::uint64_t previous = 0;
  for (const auto& s : steps) {
    for (const auto& what : s.changes) {
      INFO(what);
      auto at = std::find_if(seen.begin(), seen.end(), [&](const seen_change& c) { return c.what == what; });
      REQUIRE(at != seen.end());
      CHECK(at->revision > previous);
      CHECK(at->revision <= s.answered);
    }
    previous = s.answered;
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("C8 a watch resumes after a crash from the last revision it saw, missing nothing and repeating nothing",
          "[e2e][watch]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  std::vector<seen_change> before_crash;
  {
    auto client = connect(server);
    watcher watch(server, 0, "user first_end standard");
    for (auto name : {"ann", "ben", "cyd"}) REQUIRE(client.add_user(name, std::string(name) + "@example.org").ok());
    auto project = client.act_as("ann").create_project("atlas");
    REQUIRE(project.ok());
    REQUIRE(client.act_as("ann").invite_to_project(*project, "ben", level("view")).ok());
    REQUIRE(client.add_user("first_end", "first@example.org").ok());
    before_crash = watch.seen();
    REQUIRE_FALSE(watch.ended());
  }
  server.kill_hard();
  server.start();
  std::vector<seen_change> after_crash;
  {
    auto client = connect(server);
    watcher watch(server, before_crash.back().revision, "user second_end standard");
    auto team = client.act_as("cyd").create_team("crew");
    REQUIRE(team.ok());
    TeamChanges direct;
    direct.admission = Admission::direct;
    REQUIRE(client.act_as("cyd").set_team(*team, direct).ok());
    REQUIRE(client.act_as("cyd").add_to_team(*team, "ben").ok());
    REQUIRE(client.add_user("second_end", "second@example.org").ok());
    after_crash = watch.seen();
    REQUIRE_FALSE(watch.ended());
  }
  // One watch from the start sees exactly the two parts, in the same order.
  watcher whole(server, 0, "user second_end standard");
  auto everything = whole.seen();
  auto joined = before_crash;
  joined.insert(joined.end(), after_crash.begin(), after_crash.end());
  CHECK(whats(everything) == whats(joined));
  CHECK(in_revision_order(everything));
  CHECK(whats(after_crash).front() == "team crew");
  CHECK(server.stop() == 0);
}

TEST_CASE("C8 a watch from before the kept window, or one the window passes, ends with revision_too_old",
          "[e2e][watch]") {
  temp_dir dir;
  // Log files of 1 MiB, none kept once LMDB holds them.
  server_process server(dir.path() + "/data", {"--log-segment-mb=1", "--change-window-mb=0"});
  server.start();
  auto client = connect(server);
  REQUIRE(client.add_user("owner", "owner@example.org").ok());
  auto start = client.revision();

  // A watcher that takes its time with the first changes it is given.
  std::atomic<bool> release{false};
  std::optional<Error> slow_ended;
  std::thread slow([&, address = server.address(), token = server.token()] {
    auto watching = Client::connect(address, token);
    REQUIRE(watching.ok());
    auto watched = watching->watch(start, [&](const std::vector<Change>&) {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return true;
    });
    if (!watched) slow_ended = watched.error();
  });

  // A few MiB of invitations, each with a long message, in bulk.
  std::vector<std::string> invitees;
  for (int i = 0; i < 200; ++i) {
    auto name = "user" + std::to_string(i);
    REQUIRE(client.add_user(name, name + "@example.org").ok());
    invitees.push_back(name);
  }
  auto owner = client.act_as("owner");
  BulkInvitation bulk;
  for (int i = 0; i < 12; ++i) {
    auto team = owner.create_team("team " + std::to_string(i));
    REQUIRE(team.ok());
    bulk.targets.push_back(InviteTarget{TargetKind::team, *team});
  }
  bulk.invitees = invitees;
  bulk.message = std::string(2000, 'm');
  REQUIRE(owner.invite_bulk(bulk).ok());

  // LMDB takes the log within a tenth of a second; the log lets go of the
  // files it no longer needs as it writes on.
  std::optional<Error> refused;
  for (int i = 0; i < 200 && !refused; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(client.add_user("later" + std::to_string(i), "later" + std::to_string(i) + "@example.org").ok());
    auto early = client.watch(0, [](const std::vector<Change>&) { return false; });
    if (!early) refused = early.error();
  }
  REQUIRE(refused);
  CHECK(refused->code == ErrorCode::revision_too_old);
  CHECK(refused->message.find("no longer kept") != std::string::npos);

  release = true;
  slow.join();
  REQUIRE(slow_ended);
  INFO(slow_ended->message);
  CHECK(slow_ended->code == ErrorCode::revision_too_old);

  // From the present, a watch goes on: it sees the first user added once
  // it has started, and only that.
  watcher now(server, std::nullopt, "user fresh");
  for (int i = 0; !now.finished() && i < 500; ++i) {
    REQUIRE(client.add_user("fresh" + std::to_string(i), "fresh" + std::to_string(i) + "@example.org").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto seen = now.seen();
  REQUIRE_FALSE(now.ended());
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].what.rfind("user fresh", 0) == 0);
  CHECK(server.stop() == 0);
}
