#include "roster/embedded_server.hpp"

#include <kj/async-io.h>
#include <kj/debug.h>
#include <caf/scoped_actor.hpp>

#include <future>
#include <thread>

#include "actors/messages.hpp"
#include "server/rpc_service.hpp"
#include "server/server_config.hpp"
#include "server/server_core.hpp"
#include "server/service_token.hpp"

namespace roster {

struct EmbeddedServer::Impl {
  server::server_config cfg;
  std::unique_ptr<server::server_core> core;
  std::string address;
  // Set by the RPC thread before it reports the address; fulfilled to stop.
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stop_rpc;
  std::thread rpc;

  // Serves RPC on a thread of its own; returns the bound address, or throws
  // what stopped it from listening.
  std::string start_rpc(std::vector<server::service_token> tokens) {
    std::promise<std::string> bound;
    auto answer = bound.get_future();
    rpc = std::thread([this, tokens = std::move(tokens), bound = std::move(bound)]() mutable {
      bool told = false;
      try {
        auto io = kj::setupAsyncIo();
        auto stop = kj::newPromiseAndCrossThreadFulfiller<void>();
        stop_rpc = kj::mv(stop.fulfiller);
        server::serve_rpc(io, cfg, *core, tokens, kj::mv(stop.promise), [&](const std::string& address) {
          told = true;
          bound.set_value(address);
        });
      } catch (const kj::Exception& e) {
        if (!told) bound.set_exception(std::make_exception_ptr(std::runtime_error(e.getDescription().cStr())));
      } catch (...) {
        if (!told) bound.set_exception(std::current_exception());
      }
    });
    try {
      return answer.get();
    } catch (...) {
      rpc.join();
      throw;
    }
  }

  ~Impl() {
    if (rpc.joinable()) {
      if (stop_rpc) stop_rpc->fulfill();
      rpc.join();
    }
    core.reset();
  }
};

EmbeddedServer::EmbeddedServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmbeddedServer::~EmbeddedServer() = default;

Result<std::unique_ptr<EmbeddedServer>> EmbeddedServer::open(const EmbeddedServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->cfg.add_message_types<caf::id_block::roster>();
  impl->cfg.set("logger.verbosity", caf::atom("quiet"));
  impl->cfg.data_dir = options.data_dir;
  impl->cfg.listen = options.listen;
  impl->cfg.tokens_file = options.tokens_file;
  try {
    impl->core = std::make_unique<server::server_core>(impl->cfg);
    if (!options.listen.empty()) {
      bool created = false;
      impl->address = impl->start_rpc(server::service_tokens(options.tokens_file, options.data_dir, &created));
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::unavailable, std::string("cannot open Roster in ") + options.data_dir + ": " + e.what()};
  }
  return std::unique_ptr<EmbeddedServer>(new EmbeddedServer(std::move(impl)));
}

Result<bool> EmbeddedServer::check(Id user, Id project, std::string_view action) {
  auto& rt = impl_->core->runtime();
  if (auto allowed = rt.checks.try_check(user, project, action, rt.facts)) return *allowed;
  // Not published (yet): the project's actor answers, and publishes.
  caf::scoped_actor self{impl_->core->system()};
  Result<bool> result = Error{ErrorCode::unavailable, "no answer"};
  self->request(impl_->core->directory(), std::chrono::milliseconds(impl_->cfg.request_timeout_ms),
                actors::check_cmd{actors::user_ref{user, {}}, project, std::string(action)})
      .receive([&](bool allowed) { result = allowed; },
               [&](caf::error& e) {
                 auto why = actors::to_failure(e);
                 result = Error{why.code, why.message};
               });
  return result;
}

const std::string& EmbeddedServer::address() const { return impl_->address; }

}  // namespace roster
