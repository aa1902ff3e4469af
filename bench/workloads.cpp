#include "workloads.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <thread>

#include "connection.hpp"

namespace roster::bench {
namespace {

using clock_type = std::chrono::steady_clock;

constexpr unsigned checks_per_bulk_call = 1000;
// Open loop: beyond this many operations outstanding on one connection the
// schedule keeps counting time but stops adding calls.
constexpr unsigned open_loop_outstanding_max = 100000;

// Invitations in the invite_accept workload go to (team, user) pairs drawn
// from one counter shared by every connection and every run, so that no pair
// is invited twice: team g mod T, user (g/T + g) mod N.
std::atomic<std::uint64_t> next_pair{0};
// The next outsider invite_big_team invites, likewise shared.
std::atomic<std::uint64_t> next_outsider{0};

// One connection's share of a workload: issues operations, each of which
// calls `finished(ok, units)` once.
class connection_load {
 public:
  connection_load(Client& client, const data_set& data, const std::string& workload, unsigned seed)
      : client_(client), data_(data), workload_(workload), random_(seed) {}

  // Called once an operation ends: `error` is null when it succeeded.
  using completion = std::function<void(const Error* error, unsigned units)>;

  void issue(completion finished) {
    if (workload_ == "ping") return client_.ping_async([finished](Result<void> r) { finished(error_of(r), 1); });
    if (workload_ == "check") return check(std::move(finished));
    if (workload_ == "check_bulk") return check_bulk(std::move(finished));
    if (workload_ == "invite_accept") return invite_accept(std::move(finished));
    if (workload_ == "invite_big_team") return invite_big_team(std::move(finished));
    // mixed: 95 % checks, 5 % changes
    if (random_() % 100 < 5) return invite_accept(std::move(finished));
    check(std::move(finished));
  }

 private:
  Id any_user() { return data_.users[random_() % data_.users.size()]; }
  Id any_project() { return data_.projects[random_() % data_.projects.size()]; }

  void check(completion finished) {
    client_.check_async(any_user(), any_project(), "view_outputs",
                        [finished](Result<bool> r) { finished(error_of(r), 1); });
  }

  void check_bulk(completion finished) {
    std::vector<CheckTriple> triples;
    triples.reserve(checks_per_bulk_call);
    for (unsigned i = 0; i < checks_per_bulk_call; ++i)
      triples.push_back(CheckTriple{any_user(), any_project(), "view_outputs"});
    client_.check_bulk_async(triples, [finished](Result<std::vector<CheckOutcome>> r) {
      if (r.ok() && r->size() != checks_per_bulk_call) {
        Error short_answer{ErrorCode::unavailable, "check_bulk answered another number of outcomes than it was asked"};
        return finished(&short_answer, checks_per_bulk_call);
      }
      finished(error_of(r), checks_per_bulk_call);
    });
  }

  // A durable invitation into a team, then its acceptance: one operation.
  // Pairs whose user joined the team when the data set loaded are passed
  // over: their invitation would only be refused (already_member).
  void invite_accept(completion finished) {
    auto teams = data_.teams.size(), users = data_.users.size();
    std::size_t t, invitee;
    do {
      auto g = next_pair.fetch_add(1, std::memory_order_relaxed);
      t = g % teams;
      invitee = (g / teams + g) % users;
    } while (data_.loaded_member(t, invitee));
    invite_then_accept(data_.teams[t], data_.managers[t], invitee, std::move(finished));
  }

  // The same operation into the big team, inviting the users who are not
  // in it yet, each once.
  void invite_big_team(completion finished) {
    auto g = next_outsider.fetch_add(1, std::memory_order_relaxed);
    auto outsiders = data_.users.size() - data_.big_team_size - 1;
    auto invitee = data_.big_team_size + 1 + g % outsiders;
    invite_then_accept(data_.big_team, data_.users[0], invitee, std::move(finished));
  }

  void invite_then_accept(Id team, Id manager_id, std::size_t invitee, completion finished) {
    auto& manager = session_of(manager_id);
    auto* invitee_session = &session_of(data_.users[invitee]);
    manager.invite_to_team_async(
        team, data_.usernames[invitee], MemberFlags{true, true}, [invitee_session, finished](Result<Id> inv) {
          if (!inv) return finished(&inv.error(), 1);
          invitee_session->accept_invitation_async(*inv, [finished](Result<void> r) { finished(error_of(r), 1); });
        });
  }

  Session& session_of(Id user) {
    auto it = sessions_.find(user);
    if (it == sessions_.end()) it = sessions_.emplace(user, client_.act_as(user)).first;
    return it->second;
  }

  Client& client_;
  const data_set& data_;
  std::string workload_;
  std::mt19937_64 random_;
  std::map<Id, Session> sessions_;
};

std::uint32_t micros_since(clock_type::time_point start) {
  return static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - start).count());
}

// One connection of a run: its client, the operations it issues and what
// it measured.
struct lane {
  lane(Client c, const data_set& data, const std::string& workload, unsigned seed, measurement& m)
      : client(std::move(c)), load(client, data, workload, seed), out(m) {}
  Client client;
  connection_load load;  // refers to `client`: a lane never moves (std::deque)
  measurement& out;
};

void run_closed(std::deque<lane>& lanes, unsigned in_flight, clock_type::time_point deadline) {
  // One starter per lane, alive until the thread's loop is idle.
  std::vector<std::function<void()>> starters(lanes.size());
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    auto& l = lanes[i];
    auto& start_one = starters[i];
    start_one = [&l, &start_one, deadline] {
      auto start = clock_type::now();
      if (start >= deadline) return;
      l.load.issue([&l, &start_one, start](const Error* error, unsigned units) {
        l.out.count(error, units, micros_since(start));
        start_one();
      });
    };
  }
  for (unsigned k = 0; k < in_flight; ++k)
    for (auto& start_one : starters) start_one();
  for (auto& l : lanes) l.client.run_until_idle();  // one loop: waiting on one runs them all
}

void run_open(std::deque<lane>& lanes, double rate_per_lane, clock_type::time_point deadline) {
  auto period = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(1.0 / rate_per_lane));
  auto next = clock_type::now();
  std::vector<std::uint64_t> outstanding(lanes.size(), 0);
  while (true) {
    auto now = clock_type::now();
    if (now >= deadline) break;
    for (; next <= now; next += period)
      for (std::size_t i = 0; i < lanes.size(); ++i) {
        if (outstanding[i] >= open_loop_outstanding_max) continue;  // counted late, never dropped silently
        ++outstanding[i];
        auto& l = lanes[i];
        auto& count = outstanding[i];
        auto intended = next;
        l.load.issue([&l, &count, intended](const Error* error, unsigned units) {
          --count;
          l.out.count(error, units, micros_since(intended));
        });
      }
    auto wait = std::min(next - clock_type::now(), clock_type::duration(std::chrono::milliseconds(1)));
    lanes.front().client.run_for(
        std::chrono::duration_cast<std::chrono::microseconds>(std::max(wait, clock_type::duration::zero())));
  }
  for (auto& l : lanes) l.client.run_until_idle();
}

}  // namespace

bool known_workload(const std::string& name) {
  return name == "ping" || name == "check" || name == "check_bulk" || name == "invite_accept" || name == "mixed" ||
         name == "invite_big_team";
}

measurement run_workload(const options& opt, const std::string& token, const std::string& name, unsigned in_flight,
                         const data_set& data) {
  std::vector<measurement> per_connection(opt.connections);
  auto threads_used = std::min(opt.threads, opt.connections);
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  clock_type::time_point deadline;
  std::vector<std::thread> threads;
  // Thread t drives connections t, t + threads_used, ... on one event loop.
  for (unsigned t = 0; t < threads_used; ++t)
    threads.emplace_back([&, t] {
      std::deque<lane> lanes;
      for (unsigned c = t; c < opt.connections; c += threads_used)
        lanes.emplace_back(connect_or_die(opt, token), data, name, c * 7919 + 1, per_connection[c]);
      ++ready;
      while (!go.load()) std::this_thread::yield();
      if (opt.rate > 0)
        run_open(lanes, opt.rate / opt.connections, deadline);
      else
        run_closed(lanes, in_flight, deadline);
    });
  while (ready.load() < threads_used) std::this_thread::yield();
  auto start = clock_type::now();
  deadline = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(opt.duration));
  go = true;
  for (auto& t : threads) t.join();

  measurement total;
  total.workload = name;
  total.connections = opt.connections;
  total.threads = threads_used;
  total.in_flight = opt.rate > 0 ? 0 : in_flight;
  total.rate = opt.rate;
  total.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  total.add_up(per_connection);
  return total;
}

}  // namespace roster::bench
