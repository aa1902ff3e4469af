#include "roster/client.hpp"

#include <cctype>

#include "client_internals.hpp"

namespace roster {
using namespace detail;

UserRef UserRef::parse(const std::string& text) {
  bool digits = !text.empty();
  for (unsigned char c : text) digits = digits && std::isdigit(c);
  if (digits) return UserRef(static_cast<Id>(std::stoull(text)));
  return UserRef(text);
}

TenantRef TenantRef::parse(const std::string& text) {
  bool digits = !text.empty();
  for (unsigned char c : text) digits = digits && std::isdigit(c);
  if (digits) return TenantRef(static_cast<Id>(std::stoull(text)));
  return TenantRef(text);
}

namespace {

// The server's bootstrap capability, as TwoPartyClient::bootstrap() asks it.
capnp::Capability::Client bootstrap_of(capnp::RpcSystem<capnp::rpc::twoparty::VatId>& rpc) {
  capnp::MallocMessageBuilder message(8);
  auto vat = message.initRoot<capnp::rpc::twoparty::VatId>();
  vat.setSide(capnp::rpc::twoparty::Side::SERVER);
  return rpc.bootstrap(vat);
}

// Connects `impl` (over TLS when `tls` is given) and authenticates.
Result<void> open_connection(Client::Impl& impl, const std::string& address, const std::string& token,
                             const TlsOptions* tls) {
  try {
    auto& wait = impl.io.waitScope;
    auto addr = impl.io.provider->getNetwork().parseAddress(address).wait(wait);
    impl.stream = addr->connect().wait(wait);
    if (tls != nullptr) {
      auto secured = secure(impl.stream, address, *tls, wait);
      if (!secured) return secured.error();
      impl.tls = kj::mv(secured->context);
      impl.stream = kj::mv(secured->stream);
    }
    impl.frames = kj::heap<framed_stream>(*impl.stream);
    impl.network = kj::heap<capnp::TwoPartyVatNetwork>(*impl.frames, capnp::rpc::twoparty::Side::CLIENT);
    impl.rpc = kj::heap<capnp::RpcSystem<capnp::rpc::twoparty::VatId>>(capnp::makeRpcClient(*impl.network));
    auto bootstrap = bootstrap_of(*impl.rpc).castAs<wire::Bootstrap>();
    auto request = bootstrap.authenticateRequest();
    request.setToken(token);
    auto response = request.send().wait(wait);
    auto status = response.getStatus();
    if (status.isError()) return from_wire(status.getError());
    impl.service = response.getService();
  } catch (const kj::Exception& e) {
    return broken(e);
  }
  return {};
}

}  // namespace

Result<Client> Client::connect(const std::string& address, const std::string& token) {
  auto impl = std::make_unique<Impl>();
  if (auto opened = open_connection(*impl, address, token, nullptr); !opened) return opened.error();
  return Client(std::move(impl));
}

Result<Client> Client::connect(const std::string& address, const std::string& token, const TlsOptions& tls) {
  auto impl = std::make_unique<Impl>();
  if (auto opened = open_connection(*impl, address, token, &tls); !opened) return opened.error();
  return Client(std::move(impl));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

std::uint64_t Client::revision() const { return impl_->revision; }

void Client::read_at_least(std::uint64_t revision) { impl_->read_revision = revision; }

Result<void> Client::ping() { return call_void(*impl_, impl_->service.pingRequest()); }

namespace {
// Service.addUser and Session.addUser take the same parameters.
template <class Request>
Result<Id> add_user_call(Client::Impl& impl, Request request, const std::string& username, const std::string& email,
                         const std::string& name, PlatformRole role, const TenantRef& tenant) {
  request.setUsername(username);
  request.setEmail(email);
  request.setDisplayName(name);
  request.setRole(static_cast<wire::PlatformRole>(role));
  to_wire(tenant, request.initTenant());
  return call<Id>(impl, request, [](auto result) { return Result<Id>(result.getId()); });
}
}  // namespace

Result<Id> Client::add_user(const std::string& username, const std::string& email, const std::string& name,
                            PlatformRole role, const TenantRef& tenant) {
  return add_user_call(*impl_, impl_->service.addUserRequest(), username, email, name, role, tenant);
}

Result<Id> Client::create_tenant(const std::string& name) {
  auto request = impl_->service.createTenantRequest();
  request.setTenantName(name);
  return call<Id>(*impl_, request, [](auto r) { return Result<Id>(r.getId()); });
}

Result<void> Client::rename_tenant(const TenantRef& tenant, const std::string& name) {
  auto request = impl_->service.renameTenantRequest();
  to_wire(tenant, request.initTenant());
  request.setNewName(name);
  return call_void(*impl_, request);
}

Result<std::vector<Tenant>> Client::list_tenants() {
  auto request = impl_->service.listTenantsRequest();
  return call<std::vector<Tenant>>(*impl_, request, [](auto r) {
    std::vector<Tenant> tenants;
    for (auto t : r.getTenants())
      tenants.push_back(
          Tenant{t.getId(), text(t.getName()), t.getCreated(), t.getUsers(), t.getTeams(), t.getProjects()});
    return Result<std::vector<Tenant>>(std::move(tenants));
  });
}

Result<void> Client::delete_tenant(const TenantRef& tenant) {
  auto request = impl_->service.deleteTenantRequest();
  to_wire(tenant, request.initTenant());
  return call_void(*impl_, request);
}

Result<bool> Client::check(const UserRef& user, Id project, std::string_view action) {
  auto request = impl_->service.checkRequest();
  request.setAtLeastRevision(impl_->read_revision);
  to_wire(user, request.initUser());
  request.setProject(project);
  request.setAction(capnp::Text::Reader(action.data(), action.size()));
  return call<bool>(*impl_, request, [](auto result) { return Result<bool>(result.getAllowed()); });
}

Result<void> Client::backup(const std::string& directory) {
  auto request = impl_->service.backupRequest();
  request.setDirectory(directory);
  return call_void(*impl_, request);
}

Session Client::act_as(const UserRef& user) {
  auto request = impl_->service.actAsRequest();
  to_wire(user, request.initUser());
  return Session(std::make_shared<Session::Impl>(Session::Impl{impl_.get(), request.send().getSession()}));
}

Session Client::as_service() {
  return Session(std::make_shared<Session::Impl>(
      Session::Impl{impl_.get(), impl_->service.asServiceRequest().send().getSession()}));
}

void Client::ping_async(std::function<void(Result<void>)> done) {
  auto request = impl_->service.pingRequest();
  call_async<void>(
      *impl_, request, [](auto) { return Result<void>(); }, std::move(done));
}

void Client::run_until_idle() {
  while (impl_->in_flight > 0) {
    auto paf = kj::newPromiseAndFulfiller<void>();
    impl_->idle = kj::mv(paf.fulfiller);
    paf.promise.wait(impl_->io.waitScope);
    impl_->idle = nullptr;
  }
}

// ---------------------------------------------------------------- Session

Result<User> Session::show_user(const UserRef& user) {
  auto request = impl_->session.showUserRequest();
  to_wire(user, request.initUser());
  return call<User>(*impl_->client, request, [](auto r) { return Result<User>(from_wire(r.getUser())); });
}

Result<Id> Session::add_user(const std::string& username, const std::string& email, const std::string& name,
                             PlatformRole role, const TenantRef& tenant) {
  return add_user_call(*impl_->client, impl_->session.addUserRequest(), username, email, name, role, tenant);
}

Result<void> Session::set_role(const UserRef& user, PlatformRole role) {
  auto request = impl_->session.setRoleRequest();
  to_wire(user, request.initUser());
  request.setRole(static_cast<wire::PlatformRole>(role));
  return call_void(*impl_->client, request);
}

Result<void> Session::set_team_manager(const UserRef& user, bool team_manager) {
  auto request = impl_->session.setTeamManagerRequest();
  to_wire(user, request.initUser());
  request.setTeamManager(team_manager);
  return call_void(*impl_->client, request);
}

Result<void> Session::set_tenant_admin(const UserRef& user, bool tenant_admin) {
  auto request = impl_->session.setTenantAdminRequest();
  to_wire(user, request.initUser());
  request.setTenantAdmin(tenant_admin);
  return call_void(*impl_->client, request);
}

Result<void> Session::remove_user(const UserRef& user) {
  auto request = impl_->session.removeUserRequest();
  to_wire(user, request.initUser());
  return call_void(*impl_->client, request);
}

Result<Id> Session::create_team(const std::string& name, const std::string& icon) {
  auto request = impl_->session.createTeamRequest();
  request.setTeamName(name);
  request.setIcon(icon);
  return call<Id>(*impl_->client, request, [](auto r) { return Result<Id>(r.getId()); });
}

Result<Id> Session::invite_to_team(Id team, const std::string& invitee, MemberFlags flags, const std::string& message,
                                   Millis expires) {
  auto request = impl_->session.inviteToTeamRequest();
  request.setTeam(team);
  request.setInvitee(invitee);
  request.initFlags().setViewDatasets(flags.view_datasets);
  request.getFlags().setViewCode(flags.view_code);
  request.setMessage(message);
  request.setExpires(expires);
  return call<Id>(*impl_->client, request, [](auto r) { return Result<Id>(r.getId()); });
}

Result<Team> Session::show_team(Id team) {
  auto request = impl_->session.showTeamRequest();
  request.setTeam(team);
  return call<Team>(*impl_->client, request, [](auto r) { return Result<Team>(from_wire(r.getTeam())); });
}

Result<void> Session::leave_team(Id team) {
  auto request = impl_->session.leaveTeamRequest();
  request.setTeam(team);
  return call_void(*impl_->client, request);
}

Result<std::vector<TeamSummary>> Session::list_teams() {
  auto request = impl_->session.listTeamsRequest();
  return call<std::vector<TeamSummary>>(*impl_->client, request, [](auto r) {
    std::vector<TeamSummary> teams;
    for (auto t : r.getTeams())
      teams.push_back(TeamSummary{t.getId(), text(t.getName()), text(t.getIcon()), t.getMembers()});
    return Result<std::vector<TeamSummary>>(std::move(teams));
  });
}

Result<void> Session::set_team(Id team, const TeamChanges& changes) {
  auto request = impl_->session.setTeamRequest();
  request.setTeam(team);
  request.setSetName(changes.name.has_value());
  if (changes.name) request.setNewName(*changes.name);
  request.setSetIcon(changes.icon.has_value());
  if (changes.icon) request.setIcon(*changes.icon);
  request.setSetAdmission(changes.admission.has_value());
  if (changes.admission) request.setAdmission(static_cast<wire::Admission>(*changes.admission));
  return call_void(*impl_->client, request);
}

Result<void> Session::set_team_admin(Id team, const UserRef& user, bool admin) {
  auto request = impl_->session.setTeamAdminRequest();
  request.setTeam(team);
  to_wire(user, request.initUser());
  request.setAdmin(admin);
  return call_void(*impl_->client, request);
}

Result<void> Session::add_to_team(Id team, const UserRef& user, MemberFlags flags, Millis expires) {
  auto request = impl_->session.addToTeamRequest();
  request.setTeam(team);
  to_wire(user, request.initUser());
  request.initFlags().setViewDatasets(flags.view_datasets);
  request.getFlags().setViewCode(flags.view_code);
  request.setExpires(expires);
  return call_void(*impl_->client, request);
}

Result<void> Session::remove_from_team(Id team, const UserRef& user) {
  auto request = impl_->session.removeFromTeamRequest();
  request.setTeam(team);
  to_wire(user, request.initUser());
  return call_void(*impl_->client, request);
}

Result<void> Session::transfer_team(Id team, const UserRef& new_manager) {
  auto request = impl_->session.transferTeamRequest();
  request.setTeam(team);
  to_wire(new_manager, request.initUser());
  return call_void(*impl_->client, request);
}

Result<void> Session::delete_team(Id team) {
  auto request = impl_->session.deleteTeamRequest();
  request.setTeam(team);
  return call_void(*impl_->client, request);
}

Result<void> Session::set_member_flags(Id team, const UserRef& user, MemberFlags flags) {
  auto request = impl_->session.setMemberFlagsRequest();
  request.setTeam(team);
  to_wire(user, request.initUser());
  request.initFlags().setViewDatasets(flags.view_datasets);
  request.getFlags().setViewCode(flags.view_code);
  return call_void(*impl_->client, request);
}

Result<std::vector<BulkInviteItem>> Session::invite_bulk(const BulkInvitation& bulk) {
  auto request = impl_->session.inviteBulkRequest();
  auto targets = request.initTargets(static_cast<unsigned>(bulk.targets.size()));
  for (unsigned i = 0; i < targets.size(); ++i) {
    targets[i].setKind(static_cast<wire::TargetKind>(bulk.targets[i].kind));
    targets[i].setId(bulk.targets[i].id);
  }
  auto invitees = request.initInvitees(static_cast<unsigned>(bulk.invitees.size()));
  for (unsigned i = 0; i < invitees.size(); ++i) invitees.set(i, bulk.invitees[i]);
  request.initFlags().setViewDatasets(bulk.team_flags.view_datasets);
  request.getFlags().setViewCode(bulk.team_flags.view_code);
  to_wire(bulk.access, request.initAccess());
  request.setMessage(bulk.message);
  return call<std::vector<BulkInviteItem>>(*impl_->client, request, [](auto r) {
    std::vector<BulkInviteItem> items;
    for (auto item : r.getResults()) {
      BulkInviteItem out;
      out.target = InviteTarget{static_cast<TargetKind>(item.getTarget().getKind()), item.getTarget().getId()};
      out.invitee = text(item.getInvitee());
      if (item.isError())
        out.error = from_wire(item.getError());
      else
        out.invitation = item.getInvitation();
      items.push_back(std::move(out));
    }
    return Result<std::vector<BulkInviteItem>>(std::move(items));
  });
}

Result<void> Session::accept_invitation(Id invitation) {
  auto request = impl_->session.acceptInvitationRequest();
  request.setInvitation(invitation);
  return call_void(*impl_->client, request);
}

Result<void> Session::reject_invitation(Id invitation) {
  auto request = impl_->session.rejectInvitationRequest();
  request.setInvitation(invitation);
  return call_void(*impl_->client, request);
}

Result<void> Session::cancel_invitation(Id invitation) {
  auto request = impl_->session.cancelInvitationRequest();
  request.setInvitation(invitation);
  return call_void(*impl_->client, request);
}

Result<void> Session::remind_invitation(Id invitation) {
  auto request = impl_->session.remindInvitationRequest();
  request.setInvitation(invitation);
  return call_void(*impl_->client, request);
}

Result<void> Session::mark_read(Id notification) {
  auto request = impl_->session.markReadRequest();
  request.setNotification(notification);
  return call_void(*impl_->client, request);
}

Result<void> Session::mark_all_read() {
  auto request = impl_->session.markReadRequest();
  request.setAll(true);
  return call_void(*impl_->client, request);
}

Result<Inbox> Session::inbox(const InboxQuery& query) {
  auto request = impl_->session.inboxRequest();
  request.setFilterByStatus(query.status.has_value());
  if (query.status) request.setStatus(static_cast<wire::InvitationStatus>(*query.status));
  request.setLimit(query.limit);
  request.setAfter(query.after);
  return call<Inbox>(*impl_->client, request, [](auto r) { return Result<Inbox>(from_wire(r.getInbox())); });
}

Result<Id> Session::create_project(const std::string& name, ProjectKind kind, const std::string& schema,
                                   Policy policy) {
  auto request = impl_->session.createProjectRequest();
  request.setProjectName(name);
  request.setKind(static_cast<wire::ProjectKind>(kind));
  request.setSchema(schema);
  request.setPolicy(static_cast<wire::Policy>(policy));
  return call<Id>(*impl_->client, request, [](auto r) { return Result<Id>(r.getId()); });
}

Result<Id> Session::invite_to_project(Id project, const std::string& invitee, const ProjectAccess& access,
                                      const std::string& message) {
  auto request = impl_->session.inviteToProjectRequest();
  request.setProject(project);
  request.setInvitee(invitee);
  to_wire(access, request.initAccess());
  request.setMessage(message);
  return call<Id>(*impl_->client, request, [](auto r) { return Result<Id>(r.getId()); });
}

Result<void> Session::grant_team(Id project, Id team, const ProjectAccess& access) {
  auto request = impl_->session.grantTeamRequest();
  request.setProject(project);
  request.setTeam(team);
  to_wire(access, request.initAccess());
  return call_void(*impl_->client, request);
}

}  // namespace roster
