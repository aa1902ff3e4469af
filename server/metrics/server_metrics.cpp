#include "server/metrics/server_metrics.hpp"

#include <capnp/schema.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "roster/schema/roster.capnp.h"
#include "server/server_core.hpp"

namespace roster::server {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::MetricFamily;
using prometheus::MetricType;

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Latencies from a tenth of a millisecond (a check) to ten seconds (the
// default request timeout).
const Histogram::BucketBoundaries call_buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                  0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
// An fdatasync takes about 0.3 ms on this class of disk; a slow disk, 100 ms.
const Histogram::BucketBoundaries sync_buckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                  0.01,    0.025,  0.05,    0.1,    0.25,  1};
const Histogram::BucketBoundaries apply_buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                   0.25,  0.5,    1,     2.5,  5,     10};
const Histogram::BucketBoundaries commit_size_buckets = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

// How an outcome is labelled: "ok", "exception", "cancelled", or the wire's
// name of the error code, as the schema spells it.
std::vector<std::string> outcome_labels() {
  std::vector<std::string> labels = {"ok", "exception", "cancelled"};
  for (auto code : capnp::Schema::from<wire::ErrorCode>().getEnumerants())
    labels.emplace_back(code.getProto().getName().cStr());
  return labels;
}

std::size_t outcome_index(call_outcome outcome, std::size_t labels) {
  if (outcome == call_succeeded) return 0;
  if (outcome == call_cancelled) return 2;
  if (outcome < 0) return 1;
  auto index = static_cast<std::size_t>(outcome) + 3;
  return index < labels ? index : 1;  // a code newer than this build: counted as an exception
}

// One series of a family, made at its first use: prometheus-cpp's
// Family::Add locks and hashes the labels, which a call should not pay
// each time. Add returns the same series for the same labels, so two
// threads making it at once get the same one.
template <class Metric>
class lazy_series {
 public:
  template <class Make>
  Metric& get(Make&& make) {
    auto* made = made_.load(std::memory_order_acquire);
    if (made == nullptr) {
      made = &make();
      made_.store(made, std::memory_order_release);
    }
    return *made;
  }

 private:
  std::atomic<Metric*> made_{nullptr};
};

struct method_series {
  method_series(std::string label, std::size_t outcomes) : label(std::move(label)), by_outcome(outcomes) {}
  std::string label;
  lazy_series<Histogram> duration;
  std::vector<lazy_series<Counter>> by_outcome;
};

std::vector<std::unique_ptr<method_series>> methods_of(capnp::InterfaceSchema schema, const std::string& interface,
                                                       std::size_t outcomes) {
  std::vector<std::unique_ptr<method_series>> methods;
  for (auto method : schema.getMethods())
    methods.push_back(std::make_unique<method_series>(interface + "." + method.getProto().getName().cStr(), outcomes));
  return methods;
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

MetricFamily family(std::string name, std::string help, MetricType type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void add_gauge(MetricFamily& f, double value, std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

void add_counter(MetricFamily& f, double value, std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  f.metric.push_back(std::move(m));
}

}  // namespace

struct server_metrics::families {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  Family<Counter>& calls = prometheus::BuildCounter()
                               .Name("roster_calls_total")
                               .Help("Calls answered, by method and outcome (ok, an error code, or exception)")
                               .Register(*registry);
  Family<Histogram>& durations = prometheus::BuildHistogram()
                                     .Name("roster_call_duration_seconds")
                                     .Help("How long calls took inside the server, by method")
                                     .Register(*registry);
  // Calls in flight are those started less those ended, read at a scrape:
  // two relaxed increments a call, where a gauge would take two
  // compare-and-swap loops on a double.
  std::atomic<std::uint64_t> calls_started{0};
  std::atomic<std::uint64_t> calls_ended{0};
  Counter& shed = prometheus::BuildCounter()
                      .Name("roster_calls_shed_total")
                      .Help("Calls answered overloaded at once, without being queued")
                      .Register(*registry)
                      .Add({});
  Gauge& connections =
      prometheus::BuildGauge().Name("roster_connections").Help("RPC connections open").Register(*registry).Add({});
  Histogram& commit_changes = prometheus::BuildHistogram()
                                  .Name("roster_storage_group_commit_changes")
                                  .Help("Changes acknowledged together by one write-ahead log append and fdatasync")
                                  .Register(*registry)
                                  .Add({}, commit_size_buckets);
  Histogram& log_sync = prometheus::BuildHistogram()
                            .Name("roster_storage_log_sync_seconds")
                            .Help("One write-ahead log append and its fdatasync")
                            .Register(*registry)
                            .Add({}, sync_buckets);
  Counter& logged_records = prometheus::BuildCounter()
                                .Name("roster_storage_logged_records_total")
                                .Help("Records made durable in the write-ahead log")
                                .Register(*registry)
                                .Add({});
  Histogram& apply = prometheus::BuildHistogram()
                         .Name("roster_storage_lmdb_apply_seconds")
                         .Help("One LMDB transaction applying logged records")
                         .Register(*registry)
                         .Add({}, apply_buckets);
  Counter& applied_records = prometheus::BuildCounter()
                                 .Name("roster_storage_applied_records_total")
                                 .Help("Logged records applied to LMDB")
                                 .Register(*registry)
                                 .Add({});

  const std::vector<std::string> outcomes = outcome_labels();
  const std::array<std::vector<std::unique_ptr<method_series>>, rpc_interface_count> methods = {
      methods_of(capnp::Schema::from<wire::Bootstrap>(), "Bootstrap", outcomes.size()),
      methods_of(capnp::Schema::from<wire::Service>(), "Service", outcomes.size()),
      methods_of(capnp::Schema::from<wire::Session>(), "Session", outcomes.size()),
  };

  mutable std::mutex core_mutex;
  server_core* core = nullptr;

  // What each scrape reads from the core and the process.
  std::vector<MetricFamily> live() const {
    std::vector<MetricFamily> out;
    auto resident = family("process_resident_memory_bytes", "Resident memory of the server process", MetricType::Gauge);
    add_gauge(resident, static_cast<double>(resident_bytes()));
    out.push_back(std::move(resident));
    // Ended first: every call counted ended is then counted started, so the
    // difference never goes below zero.
    auto ended = calls_ended.load(std::memory_order_relaxed);
    auto started = calls_started.load(std::memory_order_relaxed);
    auto in_flight = family("roster_calls_in_flight", "Calls received and not yet answered", MetricType::Gauge);
    add_gauge(in_flight, static_cast<double>(started >= ended ? started - ended : 0));
    out.push_back(std::move(in_flight));

    std::lock_guard<std::mutex> guard(core_mutex);
    if (core == nullptr) return out;
    auto storage = core->storage_stats();
    auto map_size = family("roster_lmdb_map_size_bytes", "Size of LMDB's memory map", MetricType::Gauge);
    add_gauge(map_size, static_cast<double>(storage.map_size));
    auto map_used = family("roster_lmdb_map_used_bytes", "Bytes of LMDB's map its pages fill", MetricType::Gauge);
    add_gauge(map_used, static_cast<double>(storage.map_used));
    auto revision = family("roster_revision", "The revision of the last acknowledged change (C7)", MetricType::Gauge);
    add_gauge(revision, static_cast<double>(core->runtime().storage.revision()));
    auto unapplied = family("roster_storage_unapplied_records",
                            "Records durable in the write-ahead log and not yet in LMDB", MetricType::Gauge);
    add_gauge(unapplied, static_cast<double>(storage.unapplied_records));

    const auto& census = core->runtime().census;
    auto active = family("roster_actors_active", "User, team and project actors in memory", MetricType::Gauge);
    auto activated = family("roster_actors_activated_total", "Actors brought into memory", MetricType::Counter);
    auto passivated =
        family("roster_actors_passivated_total", "Actors that left memory after being idle", MetricType::Counter);
    for (std::size_t k = 0; k < actors::actor_census::kinds; ++k) {
      std::vector<prometheus::ClientMetric::Label> kind = {{"kind", actors::actor_census::kind_names[k]}};
      add_gauge(active, static_cast<double>(census.active[k].load(std::memory_order_relaxed)), kind);
      add_counter(activated, static_cast<double>(census.activated[k].load(std::memory_order_relaxed)), kind);
      add_counter(passivated, static_cast<double>(census.passivated[k].load(std::memory_order_relaxed)), kind);
    }
    for (auto* f : {&revision, &map_size, &map_used, &unapplied, &active, &activated, &passivated})
      out.push_back(std::move(*f));
    return out;
  }
};

server_metrics::server_metrics() : families_(std::make_unique<families>()) {}

server_metrics::~server_metrics() = default;

void server_metrics::watch(server_core* core) {
  std::lock_guard<std::mutex> guard(families_->core_mutex);
  families_->core = core;
}

std::string server_metrics::scrape() const {
  auto collected = families_->registry->Collect();
  for (auto& f : families_->live()) collected.push_back(std::move(f));
  std::ostringstream out;
  prometheus::TextSerializer{}.Serialize(out, collected);
  return out.str();
}

void server_metrics::call_started() { families_->calls_started.fetch_add(1, std::memory_order_relaxed); }

void server_metrics::call_ended(rpc_interface on, std::uint16_t method, call_outcome outcome,
                                std::chrono::steady_clock::duration took) {
  auto& f = *families_;
  f.calls_ended.fetch_add(1, std::memory_order_relaxed);
  auto& methods = f.methods[static_cast<std::size_t>(on)];
  if (method >= methods.size()) return;  // not a method of the schema: refused by Cap'n Proto
  auto& series = *methods[method];
  auto index = outcome_index(outcome, f.outcomes.size());
  series.by_outcome[index]
      .get([&]() -> Counter& {
        return f.calls.Add({{"method", series.label}, {"code", f.outcomes[index]}});
      })
      .Increment();
  series.duration.get([&]() -> Histogram& {
                   return f.durations.Add({{"method", series.label}}, call_buckets);
                 })
      .Observe(seconds(took));
  if (outcome == static_cast<call_outcome>(wire::ErrorCode::OVERLOADED)) f.shed.Increment();
}

void server_metrics::connection_opened() { families_->connections.Increment(); }

void server_metrics::connection_closed() { families_->connections.Decrement(); }

void server_metrics::logged(std::size_t changes, std::size_t records, std::chrono::steady_clock::duration took) {
  families_->commit_changes.Observe(static_cast<double>(changes));
  families_->log_sync.Observe(seconds(took));
  families_->logged_records.Increment(static_cast<double>(records));
}

void server_metrics::applied(std::size_t records, std::chrono::steady_clock::duration took) {
  families_->apply.Observe(seconds(took));
  families_->applied_records.Increment(static_cast<double>(records));
}

}  // namespace roster::server
