#include "server/rpc_service.hpp"

#include <kj/debug.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "server/call_budget.hpp"
#include "server/rpc_loop.hpp"
#include "server/server_core.hpp"

namespace roster::server {
namespace {

// Accepts connections on the calling thread's loop and deals them out to
// the loops in turn, this one included.
class acceptor final : private kj::TaskSet::ErrorHandler {
 public:
  acceptor(rpc_loop& home, std::vector<std::unique_ptr<rpc_thread>>& others)
      : home_(home), others_(others), handovers_(*this) {}

  kj::Promise<void> run(kj::ConnectionReceiver& receiver) {
    // KJ's accept() throws at once when accept(2) fails right away, and
    // rejects when it fails after waiting.
    kj::Maybe<kj::Promise<kj::Own<kj::AsyncIoStream>>> accepted;
    KJ_IF_MAYBE (failure, kj::runCatchingExceptions([&]() { accepted = receiver.accept(); })) {
      return retry_later(*failure, receiver);
    }
    return KJ_ASSERT_NONNULL(accepted).then(
        [this, &receiver](kj::Own<kj::AsyncIoStream>&& connection) {
          deal(kj::mv(connection));
          return run(receiver);
        },
        [this, &receiver](kj::Exception&& failure) { return retry_later(failure, receiver); });
  }

 private:
  void deal(kj::Own<kj::AsyncIoStream> connection) {
    auto turn = next_++ % (others_.size() + 1);
    if (turn == 0) return home_.serve(kj::mv(connection));
    handovers_.add(others_[turn - 1]->hand_over(kj::mv(connection)));
  }

  // KJ's accept fails on EMFILE, ENFILE or ENOBUFS: out of descriptors or
  // memory for now, not for good. The peers wait in the backlog; try again
  // shortly rather than stop accepting for ever.
  kj::Promise<void> retry_later(const kj::Exception& failure, kj::ConnectionReceiver& receiver) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_failure_logged_ > std::chrono::minutes(1)) {
      last_failure_logged_ = now;
      std::cerr << "rosterd: accepting a connection failed, retrying: " << failure.getDescription().cStr() << std::endl;
    }
    return home_.io().provider->getTimer().afterDelay(100 * kj::MILLISECONDS).then([this, &receiver]() {
      return run(receiver);
    });
  }

  void taskFailed(kj::Exception&& exception) override {
    KJ_LOG(ERROR, "a connection could not be handed to its RPC thread", exception);
  }

  rpc_loop& home_;
  std::vector<std::unique_ptr<rpc_thread>>& others_;
  std::size_t next_ = 0;
  kj::TaskSet handovers_;
  std::chrono::steady_clock::time_point last_failure_logged_{};
};

}  // namespace

void serve_rpc(kj::AsyncIoContext& io, const server_config& cfg, server_core& core,
               const std::vector<service_token>& tokens, kj::Promise<void> stop,
               const std::function<void(const std::string& address)>& listening, call_observer* observer) {
  shared_limits limits(cfg.max_in_flight, cfg.max_connections);
  rpc_loop home(io, cfg, core, tokens, limits, observer);
  std::vector<std::unique_ptr<rpc_thread>> others;
  for (std::size_t i = 1; i < cfg.rpc_threads; ++i)
    others.push_back(std::make_unique<rpc_thread>(cfg, core, tokens, limits, observer));

  auto address = io.provider->getNetwork().parseAddress(cfg.listen).wait(io.waitScope);
  auto listener = address->listen();
  auto host = cfg.listen.substr(0, cfg.listen.rfind(':'));
  listening(host + ":" + std::to_string(listener->getPort()));
  acceptor accepting_connections(home, others);
  auto accepting = accepting_connections.run(*listener).eagerlyEvaluate(
      [](kj::Exception&& e) { KJ_LOG(ERROR, "accept loop failed", e); });

  home.run_until(kj::mv(stop));
  accepting = nullptr;  // stop accepting
  listener = nullptr;

  auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg.shutdown_grace_ms);
  for (auto& other : others) other->stop(give_up);
  if (auto left = home.finish_calls(give_up))
    std::cerr << "rosterd: " << left << " calls still in flight, stopping anyway\n";
  others.clear();  // waits for their threads
}

}  // namespace roster::server
