// The embedded_check workload: roster::EmbeddedServer::check called directly
// by `connections` threads of this process, one call at a time each.
#pragma once

#include "bench_options.hpp"
#include "data_set.hpp"
#include "latency.hpp"
#include "roster/embedded_server.hpp"

namespace roster::bench {

measurement run_embedded_check(const options& opt, EmbeddedServer& server, const data_set& data);

}  // namespace roster::bench
