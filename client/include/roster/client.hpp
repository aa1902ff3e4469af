// roster::Client: the C++ client of a Roster server. Link `roster::client`
// after `find_package(roster)`.
//
//   auto client = roster::Client::connect("127.0.0.1:4100", token);
//   if (!client) { ... client.error().message ... }
//   auto bob = client->act_as("bob");
//   auto team = bob.create_team("Data Science");
//
// A Client and its Sessions belong to the thread that created the Client:
// its event loop runs in that thread, inside each call. The Clients of one
// thread share one event loop, so a thread can drive several connections:
// while it waits on one Client (a call, run_until_idle, run_for) the
// callbacks of the others run too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "roster/result.hpp"
#include "roster/types.hpp"

namespace roster {

class Client;

// Calls made on behalf of one acting user (or of the service itself).
class Session {
 public:
  Result<User> show_user(const UserRef& user);
  // U1: platform admins only (the service is one).
  Result<Id> add_user(const std::string& username, const std::string& email, const std::string& name = "",
                      PlatformRole role = PlatformRole::standard, const TenantRef& tenant = {});
  // U2, U3, N4: admins of the platform or of the user's tenant (only a
  // platform admin makes a platform admin).
  Result<void> set_role(const UserRef& user, PlatformRole role);
  Result<void> set_team_manager(const UserRef& user, bool team_manager);
  // N4: gives or takes the tenant-admin flag (not for read-only users).
  Result<void> set_tenant_admin(const UserRef& user, bool tenant_admin);
  // U4, N4: admins of the platform or of the user's tenant; fails with
  // owns_projects while the user owns any.
  Result<void> remove_user(const UserRef& user);

  Result<Id> create_team(const std::string& name, const std::string& icon = "");
  // `expires` (P9): when the membership ends, in milliseconds since the
  // epoch; 0 for never.
  Result<Id> invite_to_team(Id team, const std::string& invitee, MemberFlags flags = {},
                            const std::string& message = "", Millis expires = 0);
  Result<Team> show_team(Id team);
  Result<void> leave_team(Id team);
  Result<std::vector<TeamSummary>> list_teams();
  Result<void> set_team(Id team, const TeamChanges& changes);
  Result<void> set_team_admin(Id team, const UserRef& user, bool admin);
  Result<void> add_to_team(Id team, const UserRef& user, MemberFlags flags = {}, Millis expires = 0);
  Result<void> remove_from_team(Id team, const UserRef& user);
  Result<void> transfer_team(Id team, const UserRef& new_manager);
  Result<void> delete_team(Id team);
  // Always fails with immutable_permissions for a member (T4).
  Result<void> set_member_flags(Id team, const UserRef& user, MemberFlags flags);

  // I8: one result per (target, invitee), targets first, in the order given.
  Result<std::vector<BulkInviteItem>> invite_bulk(const BulkInvitation& bulk);
  Result<void> accept_invitation(Id invitation);
  // Asynchronous forms, run by the Client's loop (see Client::check_async).
  void invite_to_team_async(Id team, const std::string& invitee, MemberFlags flags,
                            std::function<void(Result<Id>)> done);
  void accept_invitation_async(Id invitation, std::function<void(Result<void>)> done);
  void create_team_async(const std::string& name, std::function<void(Result<Id>)> done);
  void create_project_async(const std::string& name, std::function<void(Result<Id>)> done);
  void invite_to_project_async(Id project, const std::string& invitee, const ProjectAccess& access,
                               std::function<void(Result<Id>)> done);
  void grant_team_async(Id project, Id team, const ProjectAccess& access, std::function<void(Result<void>)> done);
  Result<void> reject_invitation(Id invitation);
  Result<void> cancel_invitation(Id invitation);
  Result<void> remind_invitation(Id invitation);
  Result<Inbox> inbox(const InboxQuery& query = {});
  Result<void> mark_read(Id notification);
  Result<void> mark_all_read();

  Result<Id> create_project(const std::string& name, ProjectKind kind = ProjectKind::project,
                            const std::string& schema = "simple", Policy policy = Policy::highest);
  Result<Id> invite_to_project(Id project, const std::string& invitee, const ProjectAccess& access,
                               const std::string& message = "");
  Result<void> grant_team(Id project, Id team, const ProjectAccess& access);
  // P1: the projects the acting user sees.
  Result<ProjectPage> list_projects(const PageQuery& page = {});
  Result<Project> show_project(Id project);
  // P5: the grant's levels change; its flags stay.
  Result<void> set_level(Id project, const GrantSubject& subject, const std::vector<Level>& levels);
  Result<void> revoke(Id project, const GrantSubject& subject);
  Result<void> transfer_project(Id project, const UserRef& new_owner);
  Result<void> delete_project(Id project);
  Result<std::vector<Collaborator>> collaborators(Id project);
  // Newest first; at most 1,000.
  Result<std::vector<ActivityEvent>> activity(Id project, std::uint32_t limit = 50);

  struct Impl;

 private:
  friend class Client;
  explicit Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// How to reach a rosterd whose listener speaks TLS (--tls-cert).
struct TlsOptions {
  // A PEM file of the certificates to trust: the server's own self-signed
  // certificate, or the CA that issued it. Empty: the system's trust store.
  std::string trusted_certificates_file;
  // The name the server's certificate must carry; empty: the host part of
  // the address.
  std::string server_name;
};

class Client {
 public:
  // Connects to HOST:PORT and authenticates with a service token.
  static Result<Client> connect(const std::string& address, const std::string& token);
  // The same over TLS: the server's certificate is verified against `tls`
  // before the token is sent.
  static Result<Client> connect(const std::string& address, const std::string& token, const TlsOptions& tls);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  Result<void> ping();

  // C7 (docs/clients.md, "Revisions"): every write answers the server's
  // revision, at which the write is visible. revision() is the highest this
  // client was answered; read_at_least(r) makes every read from then on
  // (checks, bulk checks, explain, lookups) answer from a state at least as
  // new as r, or fail revision_not_reached after the server's wait. 0, the
  // start, asks for nothing. On one server every write this client made is
  // visible to its reads anyway; another client given r sees them too.
  std::uint64_t revision() const;
  void read_at_least(std::uint64_t revision);

  Result<Id> add_user(const std::string& username, const std::string& email, const std::string& name = "",
                      PlatformRole role = PlatformRole::standard, const TenantRef& tenant = {});
  Result<bool> check(const UserRef& user, Id project, std::string_view action);
  // Up to 10,000 triples; one outcome each, in order.
  Result<std::vector<CheckOutcome>> check_bulk(const std::vector<CheckTriple>& checks);
  Result<Explanation> explain(const UserRef& user, Id project);

  // N1: tenants (admin tokens). `default` (id 0) always exists; a tenant is
  // deleted only when empty (tenant_not_empty).
  Result<Id> create_tenant(const std::string& name);
  Result<void> rename_tenant(const TenantRef& tenant, const std::string& name);
  Result<std::vector<Tenant>> list_tenants();
  Result<void> delete_tenant(const TenantRef& tenant);
  // The projects `user` sees, or on which they may do `action` if not empty.
  Result<ProjectPage> lookup_projects(const UserRef& user, std::string_view action = "", const PageQuery& page = {});
  // The users who may do `action` on `project`.
  Result<UserPage> lookup_users(Id project, std::string_view action, const PageQuery& page = {});
  // An online, consistent copy of the server's data into `directory` on the
  // server's machine (absolute; new or empty). Returns when the copy is
  // complete; it holds every change acknowledged before the call. A server
  // started with --data-dir on that directory serves the copy. Admin tokens.
  Result<void> backup(const std::string& directory);

  // C8 (docs/clients.md, "Watching changes"): calls `on_changes` with every
  // change after revision `after` (nullopt: from the server's present), in
  // revision order, each once, until it returns false (then ok) or the
  // watch ends (its error: revision_too_old once the server no longer keeps
  // the changes, unavailable when the connection broke). To resume, pass
  // the last revision whose changes were all handled. Runs this thread's
  // event loop meanwhile; the next changes come once `on_changes` returned.
  // Admin tokens.
  Result<void> watch(std::optional<std::uint64_t> after,
                     const std::function<bool(const std::vector<Change>&)>& on_changes);

  // Pipelined: creating a session costs no round trip.
  Session act_as(const UserRef& user);
  Session as_service();

  // Asynchronous forms. `done` runs on this thread, inside run_until_idle()
  // or a later synchronous call. The checks started in one turn of the
  // event loop (including from other callbacks) travel together as one bulk
  // call; each still gets its own answer.
  void ping_async(std::function<void(Result<void>)> done);
  void add_user_async(const std::string& username, const std::string& email, std::function<void(Result<Id>)> done);
  void check_async(const UserRef& user, Id project, std::string_view action, std::function<void(Result<bool>)> done);
  void check_bulk_async(const std::vector<CheckTriple>& checks,
                        std::function<void(Result<std::vector<CheckOutcome>>)> done);
  // Runs the event loop until no asynchronous call is in flight.
  void run_until_idle();
  // Runs the event loop for `duration`, answering what arrives meanwhile.
  void run_for(std::chrono::microseconds duration);

  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster
