#include "fuzz_server.hpp"

#include <capnp/rpc-twoparty.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "actors/messages.hpp"
#include "roster/schema/roster.capnp.h"
#include "schema/framed_stream.hpp"
#include "server/call_budget.hpp"
#include "server/rpc_loop.hpp"
#include "server/server_config.hpp"
#include "server/server_core.hpp"

namespace roster::fuzz {
namespace {

// tmpfs when there is one: the store's fsyncs cost nothing there, and the
// fuzzer is after crashes, not durability.
std::string make_data_dir() {
  std::string base =
      std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path().string();
  std::string pattern = base + "/roster-fuzz.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a data directory under " + base);
  return pattern;
}

std::string data_dir_to_remove;
void remove_data_dir() {
  std::error_code ignored;
  if (!data_dir_to_remove.empty()) std::filesystem::remove_all(data_dir_to_remove, ignored);
}

// The client's half of one connection, in the order it must be built.
struct rpc_client {
  explicit rpc_client(kj::Own<kj::AsyncIoStream> stream_)
      : stream(kj::mv(stream_)),
        frames(*stream),
        network(frames, capnp::rpc::twoparty::Side::CLIENT),
        rpc(capnp::makeRpcClient(network)) {
    capnp::MallocMessageBuilder message(8);
    auto vat = message.initRoot<capnp::rpc::twoparty::VatId>();
    vat.setSide(capnp::rpc::twoparty::Side::SERVER);
    bootstrap = rpc.bootstrap(vat);
  }

  kj::Own<kj::AsyncIoStream> stream;
  framed_stream frames;
  capnp::TwoPartyVatNetwork network;
  capnp::RpcSystem<capnp::rpc::twoparty::VatId> rpc;
  capnp::Capability::Client bootstrap{nullptr};
  capnp::Capability::Client service{nullptr};
  capnp::Capability::Client session{nullptr};
};

}  // namespace

struct fuzz_server::state {
  state() : io(kj::setupAsyncIo()) {
    data_dir_to_remove = cfg.data_dir = make_data_dir();
    atexit(remove_data_dir);
    cfg.add_message_types<caf::id_block::roster>();
    cfg.set("logger.verbosity", caf::atom("quiet"));
    cfg.request_timeout_ms = 2000;
    core = std::make_unique<server::server_core>(cfg);
    tokens.push_back(server::service_token{server::token_scope::admin, admin_token, {}});
    limits = std::make_unique<server::shared_limits>(cfg.max_in_flight, cfg.max_connections);
    loop = std::make_unique<server::rpc_loop>(io, cfg, *core, tokens, *limits);
  }

  kj::AsyncIoContext io;
  server::server_config cfg;
  std::unique_ptr<server::server_core> core;
  std::vector<server::service_token> tokens;
  std::unique_ptr<server::shared_limits> limits;
  std::unique_ptr<server::rpc_loop> loop;
  std::unique_ptr<rpc_client> client;
};

fuzz_server& fuzz_server::instance() {
  static fuzz_server* server = new fuzz_server();  // never destroyed: see state_
  return *server;
}

fuzz_server::fuzz_server() : state_(new state()) {}

kj::AsyncIoContext& fuzz_server::io() { return state_->io; }
kj::Timer& fuzz_server::timer() { return state_->io.provider->getTimer(); }

kj::Own<kj::AsyncIoStream> fuzz_server::connect() {
  auto pipe = state_->io.provider->newTwoWayPipe();
  state_->loop->serve(kj::mv(pipe.ends[0]));
  return kj::mv(pipe.ends[1]);
}

void fuzz_server::feed_raw(const std::uint8_t* bytes, std::size_t size) {
  auto peer = connect();
  auto& wait = state_->io.waitScope;
  auto exchange = peer->write(bytes, size)
                      .then([&peer]() { peer->shutdownWrite(); })
                      .then([&peer]() { return peer->readAllBytes(std::size_t{1} << 24); })
                      .ignoreResult();
  // A frame the server still waits the rest of ends with the sending side;
  // the second is only a guard against a hang, which would be a finding.
  exchange.exclusiveJoin(timer().afterDelay(1 * kj::SECONDS)).wait(wait);
}

capnp::Capability::Client fuzz_server::bootstrap() {
  if (!state_->client) {
    state_->client = std::make_unique<rpc_client>(connect());
    auto request = state_->client->bootstrap.castAs<wire::Bootstrap>().authenticateRequest();
    request.setToken(admin_token);
    auto response = request.send();
    state_->client->service = response.getService();
    state_->client->session = state_->client->service.castAs<wire::Service>().asServiceRequest().send().getSession();
  }
  return state_->client->bootstrap;
}

capnp::Capability::Client fuzz_server::service() {
  bootstrap();
  return state_->client->service;
}

capnp::Capability::Client fuzz_server::session() {
  bootstrap();
  return state_->client->session;
}

void fuzz_server::drop_client() { state_->client.reset(); }

void fuzz_server::populate() {
  auto& wait = state_->io.waitScope;
  auto service = this->service().castAs<wire::Service>();
  for (const char* name : {"alice", "bob", "carol"}) {
    auto request = service.addUserRequest();
    request.setUsername(name);
    request.setEmail(std::string(name) + "@example.org");
    request.send().wait(wait);
  }
  auto act_as = service.actAsRequest();
  act_as.initUser().setName("alice");
  auto alice = act_as.send().getSession();
  auto team = alice.createTeamRequest();
  team.setTeamName("analysts");
  auto team_id = team.send().wait(wait).getResult().getId();
  auto project = alice.createProjectRequest();
  project.setProjectName("atlas");
  project.setSchema("simple");
  auto project_id = project.send().wait(wait).getResult().getId();
  auto to_team = alice.inviteToTeamRequest();
  to_team.setTeam(team_id);
  to_team.setInvitee("bob");
  to_team.send().wait(wait);
  auto to_project = alice.inviteToProjectRequest();
  to_project.setProject(project_id);
  to_project.setInvitee("bob");
  to_project.initAccess().initLevels(1)[0].setLevel("view");
  to_project.send().wait(wait);
}

}  // namespace roster::fuzz
