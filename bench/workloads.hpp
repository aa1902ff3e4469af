// Runs one workload at one in-flight level, closed or open loop, over
// `connections` clients, and measures it.
//
// Closed loop: each connection keeps `in_flight` operations going. Open loop
// (`rate` > 0): operations start on a fixed schedule whatever the answers
// do, and latency counts from each operation's intended start, so a stall
// shows as the latency of everything that waited behind it (no coordinated
// omission).
#pragma once

#include <string>

#include "bench_options.hpp"
#include "data_set.hpp"
#include "latency.hpp"

namespace roster::bench {

// ping, check, check_bulk, invite_accept, mixed, invite_big_team (embedded_check
// runs in-process: embedded.hpp).
bool known_workload(const std::string& name);

measurement run_workload(const options& opt, const std::string& token, const std::string& name, unsigned in_flight,
                         const data_set& data);

}  // namespace roster::bench
