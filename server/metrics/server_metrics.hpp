// rosterd's metrics (issue #8, CLI.md `--metrics-listen`): what the RPC side
// and the store tell as they work, and what each scrape reads from the
// server core, in Prometheus's text format through prometheus-cpp.
//
// Names follow Prometheus's conventions: a `roster_` prefix, base units
// (seconds, bytes), `_total` on counters. Method labels name the schema's
// interface and method ("Session.acceptInvitation"); code labels are "ok",
// the wire's ErrorCode names ("notFound") or "exception".
#pragma once

#include <memory>
#include <string>

#include "server/call_observer.hpp"
#include "storage/commit_observer.hpp"

namespace roster::server {

class server_core;

class server_metrics final : public call_observer, public storage::commit_observer {
 public:
  server_metrics();
  ~server_metrics() override;
  server_metrics(const server_metrics&) = delete;
  server_metrics& operator=(const server_metrics&) = delete;

  // The core whose storage and actors each scrape reads; null while there
  // is none (before the data is open, and once it closes).
  void watch(server_core* core);

  // Every metric, in Prometheus's text exposition format.
  std::string scrape() const;

  void call_started() override;
  void call_ended(rpc_interface on, std::uint16_t method, call_outcome outcome,
                  std::chrono::steady_clock::duration took) override;
  void connection_opened() override;
  void connection_closed() override;

  void logged(std::size_t changes, std::size_t records, std::chrono::steady_clock::duration took) override;
  void applied(std::size_t records, std::chrono::steady_clock::duration took) override;

 private:
  struct families;
  std::unique_ptr<families> families_;
};

}  // namespace roster::server
