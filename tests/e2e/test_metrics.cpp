// rosterd's metrics endpoint (--metrics-listen, CLI.md): /metrics counts
// the calls made through the public API by method and outcome, and reports
// storage, actors, connections and memory; /healthz and /readyz answer
// probes.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "roster/client.hpp"
#include "support/http_get.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

using roster::Client;
using roster::ErrorCode;
using roster::testing::http_get;
using roster::testing::server_process;
using roster::testing::temp_dir;

namespace {

// Each sample of a scrape, by its name and labels as printed
// (`roster_calls_total{code="ok",method="Service.addUser"}`).
std::map<std::string, double> samples(const std::string& exposition) {
  std::map<std::string, double> out;
  std::istringstream lines(exposition);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

double sample(const std::map<std::string, double>& all, const std::string& name) {
  auto it = all.find(name);
  return it == all.end() ? -1 : it->second;
}

std::string calls(const std::string& method, const std::string& code) {
  return "roster_calls_total{code=\"" + code + "\",method=\"" + method + "\"}";
}

}  // namespace

TEST_CASE("metrics: a scrape counts each call by method and error code, with storage, actors and connections",
          "[e2e][metrics]") {
  temp_dir dir;
  server_process server(dir.path() + "/data", {"--metrics-listen=127.0.0.1:0"});
  server.start();
  REQUIRE_FALSE(server.metrics_address().empty());

  auto client = Client::connect(server.address(), server.token());
  REQUIRE(client.ok());
  REQUIRE(client->add_user("alice", "alice@example.org").ok());
  REQUIRE(client->add_user("bob", "bob@example.org").ok());
  auto again = client->add_user("alice", "alice2@example.org");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::already_exists);
  auto team = client->act_as("alice").create_team("Analysts");
  REQUIRE(team.ok());
  auto missing = client->act_as("alice").show_team(*team + 1000);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
  REQUIRE(client->act_as("alice").show_team(*team).ok());

  auto scraped = http_get(server.metrics_address(), "/metrics");
  REQUIRE(scraped.status == 200);
  CHECK(scraped.content_type.find("text/plain; version=0.0.4") == 0);
  auto all = samples(scraped.body);

  CHECK(sample(all, calls("Service.addUser", "ok")) == 2);
  CHECK(sample(all, calls("Service.addUser", "alreadyExists")) == 1);
  CHECK(sample(all, calls("Session.createTeam", "ok")) == 1);
  CHECK(sample(all, calls("Session.showTeam", "notFound")) == 1);
  CHECK(sample(all, calls("Session.showTeam", "ok")) == 1);
  CHECK(sample(all, calls("Bootstrap.authenticate", "ok")) == 1);
  CHECK(sample(all, "roster_call_duration_seconds_count{method=\"Service.addUser\"}") == 3);
  CHECK(sample(all, "roster_call_duration_seconds_sum{method=\"Service.addUser\"}") > 0);
  CHECK(sample(all, "roster_call_duration_seconds_bucket{method=\"Service.addUser\",le=\"+Inf\"}") == 3);
  CHECK(sample(all, "roster_calls_in_flight") == 0);
  CHECK(sample(all, "roster_calls_shed_total") == 0);
  CHECK(sample(all, "roster_connections") == 1);

  // Two users and a team were written: at least three group commits, each
  // synced; the failed registration wrote nothing.
  CHECK(sample(all, "roster_storage_group_commit_changes_count") >= 3);
  CHECK(sample(all, "roster_storage_group_commit_changes_sum") >= 3);
  CHECK(sample(all, "roster_storage_log_sync_seconds_count") ==
        sample(all, "roster_storage_group_commit_changes_count"));
  CHECK(sample(all, "roster_storage_logged_records_total") >= 3);
  CHECK(sample(all, "roster_revision") > 0);
  CHECK(sample(all, "roster_lmdb_map_size_bytes") > 0);
  CHECK(sample(all, "roster_lmdb_map_used_bytes") > 0);
  CHECK(sample(all, "roster_lmdb_map_used_bytes") <= sample(all, "roster_lmdb_map_size_bytes"));
  CHECK(sample(all, "roster_storage_unapplied_records") >= 0);
  // Users come into memory when first used, not when registered; none left.
  CHECK(sample(all, "roster_actors_active{kind=\"user\"}") ==
        sample(all, "roster_actors_activated_total{kind=\"user\"}"));
  CHECK(sample(all, "roster_actors_active{kind=\"team\"}") == 1);
  CHECK(sample(all, "roster_actors_activated_total{kind=\"team\"}") == 1);
  CHECK(sample(all, "roster_actors_passivated_total{kind=\"user\"}") == 0);
  CHECK(sample(all, "process_resident_memory_bytes") > 1e6);

  // The scrape itself is not a call; a second one sees the same counts.
  auto second = samples(http_get(server.metrics_address(), "/metrics").body);
  CHECK(sample(second, calls("Service.addUser", "ok")) == 2);
}

TEST_CASE("metrics: a call refused as overloaded is counted as shed", "[e2e][metrics]") {
  temp_dir dir;
  // One call in flight per connection: the second of two sent at once is
  // refused at the gateway.
  server_process server(dir.path() + "/data", {"--metrics-listen=127.0.0.1:0", "--max-in-flight-per-connection=1"});
  server.start();
  auto client = Client::connect(server.address(), server.token());
  REQUIRE(client.ok());
  int answered = 0, overloaded = 0;
  for (int i = 0; i < 50; ++i)
    client->add_user_async("user" + std::to_string(i), "user" + std::to_string(i) + "@example.org",
                           [&](roster::Result<roster::Id> r) {
                             ++answered;
                             if (!r.ok() && r.error().code == ErrorCode::overloaded) ++overloaded;
                           });
  client->run_until_idle();
  REQUIRE(answered == 50);
  REQUIRE(overloaded > 0);

  auto all = samples(http_get(server.metrics_address(), "/metrics").body);
  CHECK(sample(all, "roster_calls_shed_total") == overloaded);
  CHECK(sample(all, calls("Service.addUser", "overloaded")) == overloaded);
  CHECK(sample(all, calls("Service.addUser", "ok")) == 50 - overloaded);
}

TEST_CASE("metrics: /healthz and /readyz answer probes, and other paths are not found", "[e2e][metrics]") {
  temp_dir dir;
  server_process server(dir.path() + "/data", {"--metrics-listen=127.0.0.1:0"});
  server.start();

  auto health = http_get(server.metrics_address(), "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  auto ready = http_get(server.metrics_address(), "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == "ready\n");
  CHECK(http_get(server.metrics_address(), "/nothing").status == 404);
}

TEST_CASE("metrics: rosterd serves no metrics unless asked", "[e2e][metrics]") {
  temp_dir dir;
  server_process server(dir.path() + "/data");
  server.start();
  CHECK(server.metrics_address().empty());
}
