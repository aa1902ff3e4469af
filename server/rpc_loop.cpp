#include "server/rpc_loop.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <iostream>
#include <mutex>

#include "server/actor_bridge.hpp"
#include "server/busy_poll.hpp"
#include "server/gateway.hpp"
#include "server/rpc_listener.hpp"
#include "server/server_core.hpp"
#include "server/tls_server.hpp"

namespace roster::server {

// Built in this order, destroyed in reverse: connections before the gateway
// they call, the gateway before the bridge it asks through.
struct rpc_loop::parts {
  parts(kj::AsyncIoContext& io, const server_config& cfg, server_core& core, const std::vector<service_token>& tokens,
        shared_limits& limits, call_observer* observer)
      : bridge(core.system(), core.directory(), io.unixEventPort, io.provider->getTimer(),
               std::chrono::milliseconds(cfg.request_timeout_ms), limits.calls),
        gateway{bridge,
                tokens,
                core.runtime(),
                core.backups(),
                cfg.max_in_flight_per_connection,
                observer,
                io.provider->getTimer(),
                std::chrono::milliseconds(cfg.revision_wait_ms)},
        tls(make_tls(cfg, io.provider->getTimer())),
        polling(std::chrono::microseconds(cfg.busy_poll_us), [this]() { return bridge.in_flight() == 0; }),
        // Frames are counted only for a loop that polls: none of it on the
        // default path.
        rpc([this]() -> capnp::Capability::Client { return make_bootstrap(gateway); }, tls.get(), &limits.connections,
            cfg.busy_poll_us > 0 ? &polling : nullptr, observer) {}

  static std::unique_ptr<tls_server> make_tls(const server_config& cfg, kj::Timer& timer) {
    if (cfg.tls_cert.empty() != cfg.tls_key.empty())
      throw std::runtime_error("--tls-cert and --tls-key go together: give both, or neither for plain TCP");
    if (cfg.tls_cert.empty()) return nullptr;
    return std::make_unique<tls_server>(cfg.tls_cert, cfg.tls_key, timer);
  }

  actor_bridge bridge;
  gateway_context gateway;
  std::unique_ptr<tls_server> tls;
  busy_poll polling;
  rpc_listener rpc;
};

rpc_loop::rpc_loop(kj::AsyncIoContext& io, const server_config& cfg, server_core& core,
                   const std::vector<service_token>& tokens, shared_limits& limits, call_observer* observer)
    : io_(io), parts_(std::make_unique<parts>(io, cfg, core, tokens, limits, observer)) {}

rpc_loop::~rpc_loop() = default;

void rpc_loop::serve(kj::Own<kj::AsyncIoStream> connection) { parts_->rpc.accept(kj::mv(connection)); }

void rpc_loop::run_until(kj::Promise<void> stop) { parts_->polling.run_until(kj::mv(stop), io_.waitScope); }

std::size_t rpc_loop::finish_calls(std::chrono::steady_clock::time_point give_up) {
  auto& timer = io_.provider->getTimer();
  while (parts_->bridge.in_flight() > 0 && std::chrono::steady_clock::now() < give_up)
    timer.afterDelay(5 * kj::MILLISECONDS).wait(io_.waitScope);
  return parts_->bridge.in_flight();
}

// What the rpc_thread object and its thread share.
struct rpc_thread::shared {
  std::mutex mutex;
  std::condition_variable changed;
  bool started = false;                    // the loop serves, or failed to
  std::exception_ptr failure;              // why it could not start
  const kj::Executor* executor = nullptr;  // the loop's, while it runs
  rpc_loop* loop = nullptr;
  kj::Own<kj::CrossThreadPromiseFulfiller<std::chrono::steady_clock::time_point>> stop;  // with the give-up time
};

rpc_thread::rpc_thread(const server_config& cfg, server_core& core, const std::vector<service_token>& tokens,
                       shared_limits& limits, call_observer* observer)
    : shared_(std::make_shared<shared>()) {
  thread_ = std::thread([s = shared_, &cfg, &core, &tokens, &limits, observer]() {
    auto tell = [&s](auto&& set) {
      std::lock_guard<std::mutex> guard(s->mutex);
      set();
      s->started = true;
      s->changed.notify_all();
    };
    try {
      auto io = kj::setupAsyncIo();
      rpc_loop loop(io, cfg, core, tokens, limits, observer);
      auto stop = kj::newPromiseAndCrossThreadFulfiller<std::chrono::steady_clock::time_point>();
      tell([&]() {
        s->executor = &kj::getCurrentThreadExecutor();
        s->loop = &loop;
        s->stop = kj::mv(stop.fulfiller);
      });
      std::chrono::steady_clock::time_point give_up;
      loop.run_until(stop.promise.then([&give_up](std::chrono::steady_clock::time_point at) { give_up = at; }));
      if (auto left = loop.finish_calls(give_up))
        std::cerr << "rosterd: " << left << " calls still in flight, stopping anyway\n";
    } catch (const kj::Exception& e) {
      std::lock_guard<std::mutex> guard(s->mutex);
      if (!s->started) {
        s->failure = std::make_exception_ptr(std::runtime_error(e.getDescription().cStr()));
        s->started = true;
        s->changed.notify_all();
      } else {
        std::cerr << "rosterd: an RPC thread failed: " << e.getDescription().cStr() << "\n";
      }
    }
  });
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->changed.wait(lock, [this]() { return shared_->started; });
  if (shared_->failure) {
    lock.unlock();
    thread_.join();
    std::rethrow_exception(shared_->failure);
  }
}

void rpc_thread::stop(std::chrono::steady_clock::time_point give_up) {
  std::lock_guard<std::mutex> guard(shared_->mutex);
  if (shared_->stop) shared_->stop->fulfill(kj::cp(give_up));
  shared_->stop = nullptr;
  shared_->executor = nullptr;
}

rpc_thread::~rpc_thread() {
  stop(std::chrono::steady_clock::now());
  thread_.join();
}

kj::Promise<void> rpc_thread::hand_over(kj::Own<kj::AsyncIoStream> connection) {
  int fd = -1;
  KJ_IF_MAYBE (own, connection->getFd()) {
    fd = fcntl(*own, F_DUPFD_CLOEXEC, 0);
  }
  if (fd < 0) return KJ_EXCEPTION(FAILED, "a connection without a descriptor cannot change threads");
  // This loop lets go of the socket; the copy of its descriptor carries it
  // over, and is closed here if the other loop never takes it.
  connection = nullptr;
  auto moving = std::make_shared<int>(fd);
  auto closer = kj::defer([moving]() {
    if (*moving >= 0) ::close(*moving);
  });
  auto s = shared_;
  return s->executor
      ->executeAsync([s, moving]() {
        auto& io = s->loop->io();
        auto socket = io.lowLevelProvider->wrapSocketFd(*moving, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP |
                                                                     kj::LowLevelAsyncIoProvider::ALREADY_CLOEXEC |
                                                                     kj::LowLevelAsyncIoProvider::ALREADY_NONBLOCK);
        *moving = -1;  // the socket owns it now
        s->loop->serve(kj::mv(socket));
      })
      .attach(kj::mv(closer));
}

}  // namespace roster::server
