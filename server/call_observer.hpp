// What the RPC side tells whoever watches the server (rosterd's metrics,
// server/metrics/): every call as it starts and ends, and connections as
// they open and close. Called on the RPC threads, several at once: an
// implementation is thread-safe and cheap, and never blocks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace roster::server {

// Which interface of the schema a call was made on.
enum class rpc_interface : std::uint8_t { bootstrap, service, session };
inline constexpr std::size_t rpc_interface_count = 3;

// How a call ended: its result's error code (the wire's ErrorCode value),
// or one of these.
using call_outcome = std::int32_t;
inline constexpr call_outcome call_succeeded = -1;
inline constexpr call_outcome call_threw = -2;      // an exception, not a result
inline constexpr call_outcome call_cancelled = -3;  // the caller gave up first (a watch it stopped)

class call_observer {
 public:
  virtual ~call_observer() = default;

  virtual void call_started() = 0;
  // `method` is the method's ordinal in `on`'s interface (its @N).
  virtual void call_ended(rpc_interface on, std::uint16_t method, call_outcome outcome,
                          std::chrono::steady_clock::duration took) = 0;

  virtual void connection_opened() = 0;
  virtual void connection_closed() = 0;
};

}  // namespace roster::server
