// libFuzzer: arbitrary bytes on a fresh RPC connection — garbage, truncated
// frames, absurd segment tables, valid frames holding nonsense. The server
// must end that connection (or answer it) without crashing, hanging or
// allocating what a header claims; -rss_limit_mb and -malloc_limit_mb
// (scripts/fuzz) turn unbounded memory into a finding.
//
// ROSTER_FUZZ_WRITE_SEEDS=DIR writes the seeds of tests/fuzz/corpus/rpc_bytes:
// the bytes a real client sends for a short session, that session cut
// short, and frames whose segment tables lie.
#include <capnp/rpc-twoparty.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz_server.hpp"
#include "roster/schema/roster.capnp.h"
#include "schema/framed_stream.hpp"

namespace roster::fuzz {
namespace {

// What a client writes for: authenticate, ping, a check, a session's
// createTeam — all pipelined, so no answer is needed to record them.
std::string record_client_session() {
  auto& server = fuzz_server::instance();
  auto& io = server.io();
  auto pipe = io.provider->newTwoWayPipe();
  std::string recorded;
  {
    framed_stream frames(*pipe.ends[0]);
    capnp::TwoPartyVatNetwork network(frames, capnp::rpc::twoparty::Side::CLIENT);
    auto rpc = capnp::makeRpcClient(network);
    capnp::MallocMessageBuilder vat_message(8);
    auto vat = vat_message.initRoot<capnp::rpc::twoparty::VatId>();
    vat.setSide(capnp::rpc::twoparty::Side::SERVER);
    auto authenticate = rpc.bootstrap(vat).castAs<wire::Bootstrap>().authenticateRequest();
    authenticate.setToken(admin_token);
    auto service = authenticate.send().getService();
    auto ping = service.pingRequest().send();
    auto check = service.checkRequest();
    check.initUser().setName("alice");
    check.setProject(5);
    check.setAction("view_outputs");
    auto checked = check.send();
    auto team = service.asServiceRequest().send().getSession().createTeamRequest();
    team.setTeamName("analysts");
    auto created = team.send();
    // Let the loop write it all, then take what arrived on the other end.
    server.timer().afterDelay(50 * kj::MILLISECONDS).wait(io.waitScope);
    char buffer[65536];
    for (;;) {
      auto got =
          pipe.ends[1]
              ->tryRead(buffer, 1, sizeof buffer)
              .exclusiveJoin(server.timer().afterDelay(50 * kj::MILLISECONDS).then([]() { return std::size_t{0}; }))
              .wait(io.waitScope);
      if (got == 0) break;
      recorded.append(buffer, got);
    }
  }
  return recorded;
}

void write_seed(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir + "/" + name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string le32(std::uint32_t v) {
  return std::string{static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
                     static_cast<char>((v >> 16) & 0xff), static_cast<char>(v >> 24)};
}

void write_seeds(const std::string& dir) {
  auto session = record_client_session();
  write_seed(dir, "client_session", session);
  write_seed(dir, "client_session_cut", session.substr(0, session.size() / 2 + 3));
  // A segment table claiming 2^32 segments; one claiming a 4 GiB segment.
  write_seed(dir, "absurd_segment_count", le32(0xffffffffu) + le32(1) + std::string(8, '\0'));
  write_seed(dir, "absurd_segment_size", le32(0) + le32(0x1fffffffu) + std::string(8, '\0'));
  // An empty message, then a one-word one whose root pointer is garbage.
  write_seed(dir, "empty_message", le32(0) + le32(0));
  write_seed(dir, "garbage_root", le32(0) + le32(1) + std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8));
}

}  // namespace
}  // namespace roster::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("ROSTER_FUZZ_WRITE_SEEDS")) {
    roster::fuzz::write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  roster::fuzz::fuzz_server::instance().feed_raw(data, size);
  return 0;
}
