// Roster inside another C++ process: the same actors, storage and rules as
// rosterd, opened on a data directory of the caller's, with permission
// checks answered by a direct call — no socket, no serialization. It can
// serve RPC too, so that the rest of the API (users, teams, invitations,
// grants) stays reachable through roster::Client or rosterctl.
//
//   auto server = roster::EmbeddedServer::open({"/var/lib/myservice/roster", "127.0.0.1:0"});
//   if (!server) ...;                       // server.error().message says why
//   bool may = (*server)->check(user, project, "view_outputs").value();
//
// One process per data directory, as with rosterd. Every method is safe to
// call from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "roster/id.hpp"
#include "roster/result.hpp"

namespace roster {

struct EmbeddedServerOptions {
  std::string data_dir = "./data";
  // "HOST:PORT" to also serve RPC there (port 0: any free port); empty: none.
  std::string listen;
  // A file of service tokens for RPC; empty: DATA_DIR/service.token, created
  // with a new random token on first open.
  std::string tokens_file;
};

class EmbeddedServer {
 public:
  // Opens the data directory and starts the actors (and RPC, if asked);
  // unavailable with the reason when it cannot.
  static Result<std::unique_ptr<EmbeddedServer>> open(const EmbeddedServerOptions& options);
  // Stops RPC (calls in flight finish), then the actors; commits what is queued.
  ~EmbeddedServer();

  EmbeddedServer(const EmbeddedServer&) = delete;
  EmbeddedServer& operator=(const EmbeddedServer&) = delete;

  // C1: may `user` do `action` on `project`? Answered on the calling thread
  // from the projects' published state when it is there and durable, else by
  // the project's actor (the first check of a project after a start).
  // Errors as the RPC's: not_found, invalid_argument.
  Result<bool> check(Id user, Id project, std::string_view action);

  // The RPC address bound ("HOST:PORT"), empty when not serving RPC.
  const std::string& address() const;

 private:
  struct Impl;
  explicit EmbeddedServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster
