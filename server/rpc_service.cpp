#include "server/rpc_service.hpp"

#include <kj/debug.h>

#include <iostream>

#include "server/actor_bridge.hpp"
#include "server/gateway.hpp"
#include "server/rpc_listener.hpp"
#include "server/server_core.hpp"

namespace roster::server {

void serve_rpc(kj::AsyncIoContext& io, const server_config& cfg, server_core& core,
               const std::vector<std::string>& tokens, kj::Promise<void> stop,
               const std::function<void(const std::string& address)>& listening) {
  actor_bridge bridge(core.system(), core.directory(), io.unixEventPort, io.provider->getTimer(),
                      std::chrono::milliseconds(cfg.request_timeout_ms), cfg.max_in_flight);
  gateway_context gateway{bridge, tokens, core.runtime()};
  rpc_listener rpc(make_bootstrap(gateway));

  auto address = io.provider->getNetwork().parseAddress(cfg.listen).wait(io.waitScope);
  auto listener = address->listen();
  auto host = cfg.listen.substr(0, cfg.listen.rfind(':'));
  listening(host + ":" + std::to_string(listener->getPort()));
  auto accepting = rpc.listen(*listener).eagerlyEvaluate([](kj::Exception&& e) {
    KJ_LOG(ERROR, "accept loop failed", e);
  });

  stop.wait(io.waitScope);
  accepting = nullptr;  // stop accepting
  listener = nullptr;

  auto& timer = io.provider->getTimer();
  auto give_up = timer.now() + cfg.shutdown_grace_ms * kj::MILLISECONDS;
  while (bridge.in_flight() > 0 && timer.now() < give_up) timer.afterDelay(5 * kj::MILLISECONDS).wait(io.waitScope);
  if (bridge.in_flight() > 0) std::cerr << "rosterd: " << bridge.in_flight() << " calls still in flight, stopping anyway\n";
}

}  // namespace roster::server
