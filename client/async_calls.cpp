// The asynchronous calls a load generator or an event-driven backend needs
// beyond check_async: they run on the Client's event loop and call back on
// its thread.
#include "client_internals.hpp"

namespace roster {
using namespace detail;

void Client::check_bulk_async(const std::vector<CheckTriple>& checks,
                              std::function<void(Result<std::vector<CheckOutcome>>)> done) {
  auto request = impl_->service.checkBulkRequest(check_bulk_size(checks.begin(), checks.end()));
  request.setAtLeastRevision(impl_->read_revision);
  auto list = request.initChecks(static_cast<unsigned>(checks.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    to_wire(checks[i].user, list[i].initUser());
    list[i].setProject(checks[i].project);
    list[i].setAction(checks[i].action);
  }
  call_async<std::vector<CheckOutcome>>(
      *impl_, request, [](auto r) { return Result<std::vector<CheckOutcome>>(from_wire(r.getOutcomes())); },
      std::move(done));
}

void Client::add_user_async(const std::string& username, const std::string& email,
                            std::function<void(Result<Id>)> done) {
  auto request = impl_->service.addUserRequest();
  request.setUsername(username);
  request.setEmail(email);
  call_async<Id>(
      *impl_, request, [](auto r) { return Result<Id>(r.getId()); }, std::move(done));
}

void Client::run_for(std::chrono::microseconds duration) {
  impl_->io.provider->getTimer().afterDelay(duration.count() * kj::MICROSECONDS).wait(impl_->io.waitScope);
}

void Session::invite_to_team_async(Id team, const std::string& invitee, MemberFlags flags,
                                   std::function<void(Result<Id>)> done) {
  auto request = impl_->session.inviteToTeamRequest();
  request.setTeam(team);
  request.setInvitee(invitee);
  request.initFlags().setViewDatasets(flags.view_datasets);
  request.getFlags().setViewCode(flags.view_code);
  call_async<Id>(
      *impl_->client, request, [](auto r) { return Result<Id>(r.getId()); }, std::move(done));
}

void Session::accept_invitation_async(Id invitation, std::function<void(Result<void>)> done) {
  auto request = impl_->session.acceptInvitationRequest();
  request.setInvitation(invitation);
  call_async<void>(
      *impl_->client, request, [](auto) { return Result<void>(); }, std::move(done));
}

void Session::create_team_async(const std::string& name, std::function<void(Result<Id>)> done) {
  auto request = impl_->session.createTeamRequest();
  request.setTeamName(name);
  call_async<Id>(
      *impl_->client, request, [](auto r) { return Result<Id>(r.getId()); }, std::move(done));
}

void Session::create_project_async(const std::string& name, std::function<void(Result<Id>)> done) {
  auto request = impl_->session.createProjectRequest();
  request.setProjectName(name);
  request.setKind(wire::ProjectKind::PROJECT);
  request.setSchema("simple");
  request.setPolicy(wire::Policy::HIGHEST);
  call_async<Id>(
      *impl_->client, request, [](auto r) { return Result<Id>(r.getId()); }, std::move(done));
}

void Session::invite_to_project_async(Id project, const std::string& invitee, const ProjectAccess& access,
                                      std::function<void(Result<Id>)> done) {
  auto request = impl_->session.inviteToProjectRequest();
  request.setProject(project);
  request.setInvitee(invitee);
  to_wire(access, request.initAccess());
  call_async<Id>(
      *impl_->client, request, [](auto r) { return Result<Id>(r.getId()); }, std::move(done));
}

void Session::grant_team_async(Id project, Id team, const ProjectAccess& access,
                               std::function<void(Result<void>)> done) {
  auto request = impl_->session.grantTeamRequest();
  request.setProject(project);
  request.setTeam(team);
  to_wire(access, request.initAccess());
  call_async<void>(
      *impl_->client, request, [](auto) { return Result<void>(); }, std::move(done));
}

}  // namespace roster
