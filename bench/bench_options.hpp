// What a roster-bench run is asked to do.
#pragma once

#include <string>
#include <vector>

namespace roster::bench {

struct options {
  std::string connect = "127.0.0.1:4100";
  std::string token_file = "./data/service.token";
  unsigned connections = 4;
  // Client threads, each driving its share of the connections on one event
  // loop — as redis-benchmark drives all of its connections from one thread.
  unsigned threads = 1;
  std::vector<unsigned> in_flight{1};  // a sweep when several
  double rate = 0;                     // open loop: calls per second in all; 0 is closed loop
  double duration = 5;
  unsigned users = 1000;
  // Members of one extra team (users 1..big_team, managed by user 0); the
  // invite_big_team workload invites the users after them into it.
  unsigned big_team = 0;
  std::vector<std::string> workloads{"ping", "check"};
  // Run Roster inside roster-bench on this data directory instead of
  // connecting to a rosterd (needed by embedded_check).
  std::string embedded;
  // Drive this store (redis, postgres) through invite_accept's two-call
  // loop instead of Roster; `peer_address` says where (peer_store.hpp).
  std::string peer;
  // Clients that watch every change (C8) while the workloads run.
  unsigned watchers = 0;
  // The server's process on this machine, whose CPU time each run reports.
  int server_pid = 0;
  std::string peer_address;
  bool json = false;
  std::string svg;  // chart of throughput and p99 by in-flight level
};

}  // namespace roster::bench
