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
  // Lives as long as the call's promise: a call whose caller cancelled it
  // (only calls that allow it, such as a watch) ends when the promise goes.
  struct observed_call {
    observed_call(call_observer* observer, rpc_interface on, std::uint16_t method)
        : observer(observer), on(on), method(method) {}
    observed_call(const observed_call&) = delete;
    observed_call& operator=(const observed_call&) = delete;

    call_observer* observer;
    rpc_interface on;
    std::uint16_t method;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    bool over = false;

    void end(call_outcome outcome) {
      over = true;
      observer->call_ended(on, method, outcome, std::chrono::steady_clock::now() - started);
    }
    ~observed_call() {
      if (!over) end(call_cancelled);
    }
  };
  observer->call_started();
  auto call = kj::heap<observed_call>(observer, on, method);
  auto result = [&]() {
    try {
      return dispatch();
    } catch (...) {  // an unknown method, say: thrown before any promise
      call->end(call_threw);
      throw;
    }
  }();
  auto* observed = call.get();
  result.promise =
      result.promise
          .then([observed, on, method, context]() mutable { observed->end(outcome_of(on, method, context)); },
                [observed](kj::Exception&& failure) {
                  observed->end(call_threw);
                  kj::throwFatalException(kj::mv(failure));
                })
          .attach(kj::mv(call));
  return result;
}

}  // namespace roster::server
