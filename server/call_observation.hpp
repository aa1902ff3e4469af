// Tells a call_observer of each call a gateway server answers: wraps the
// generated dispatchCall, times the call and reads how it ended from its
// results, through the schema, so every method is covered without a line
// of its own. Private to server/gateway*.cpp.
#pragma once

#include <capnp/any.h>
#include <capnp/capability.h>

#include <chrono>
#include <cstdint>

#include "server/call_observer.hpp"

namespace roster::server {

using any_call_context = capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer>;

// The error code in the result union of a finished call of `method` on
// `on` (the first field of its results whose struct has an `error` member),
// or call_succeeded when it holds no error or the method has no such field.
call_outcome outcome_of(rpc_interface on, std::uint16_t method, any_call_context& context);

// Runs `dispatch()` — the generated dispatchCall — and tells `observer` of
// the call (nothing when it is null).
template <class Dispatch>
capnp::Capability::Server::DispatchCallResult observe_call(call_observer* observer, rpc_interface on,
                                                           std::uint16_t method, any_call_context context,
                                                           Dispatch dispatch) {
  if (observer == nullptr) return dispatch();
  auto started = std::chrono::steady_clock::now();
  observer->call_started();
  auto ended = [observer, on, method, started](call_outcome outcome) {
    observer->call_ended(on, method, outcome, std::chrono::steady_clock::now() - started);
  };
  auto result = [&]() {
    try {
      return dispatch();
    } catch (...) {  // an unknown method, say: thrown before any promise
      ended(call_threw);
      throw;
    }
  }();
  result.promise =
      result.promise.then([ended, on, method, context]() mutable { ended(outcome_of(on, method, context)); },
                          [ended](kj::Exception&& failure) {
                            ended(call_threw);
                            kj::throwFatalException(kj::mv(failure));
                          });
  return result;
}

}  // namespace roster::server
