// The client's calls about projects beyond creating and inviting (P1, P2,
// P5-P8) and the queries of C2-C4.
#include "client_internals.hpp"

namespace roster {
using namespace detail;

namespace {

using detail::from_wire;

ProjectAccess from_wire(wire::ProjectAccess::Reader r) {
  ProjectAccess access;
  for (auto l : r.getLevels()) access.levels.push_back(Level{text(l.getCategory()), text(l.getLevel())});
  access.upload = r.getUpload();
  access.download = r.getDownload();
  access.expires = r.getExpires();
  return access;
}

ProjectPage from_wire(wire::ProjectPage::Reader r) {
  ProjectPage page;
  for (auto p : r.getProjects()) page.projects.push_back(from_wire(p));
  page.next = r.getNext();
  return page;
}

void to_wire(const GrantSubject& subject, wire::GrantSubject::Builder out) {
  if (subject.is_team())
    out.setTeam(subject.team);
  else
    detail::to_wire(*subject.user, out.initUser());
}

void to_wire(const std::vector<Level>& levels, capnp::List<wire::LevelSpec>::Builder out) {
  for (unsigned i = 0; i < out.size(); ++i) {
    out[i].setCategory(levels[i].category);
    out[i].setLevel(levels[i].level);
  }
}

capnp::Text::Reader as_text(std::string_view s) { return capnp::Text::Reader(s.data(), s.size()); }

}  // namespace

Result<std::vector<CheckOutcome>> Client::check_bulk(const std::vector<CheckTriple>& checks) {
  auto request = impl_->service.checkBulkRequest(detail::check_bulk_size(checks.begin(), checks.end()));
  request.setAtLeastRevision(impl_->read_revision);
  auto list = request.initChecks(static_cast<unsigned>(checks.size()));
  for (unsigned i = 0; i < list.size(); ++i) {
    detail::to_wire(checks[i].user, list[i].initUser());
    list[i].setProject(checks[i].project);
    list[i].setAction(checks[i].action);
  }
  return call<std::vector<CheckOutcome>>(
      *impl_, request, [](auto r) { return Result<std::vector<CheckOutcome>>(detail::from_wire(r.getOutcomes())); });
}

Result<Explanation> Client::explain(const UserRef& user, Id project) {
  auto request = impl_->service.explainRequest();
  request.setAtLeastRevision(impl_->read_revision);
  detail::to_wire(user, request.initUser());
  request.setProject(project);
  return call<Explanation>(*impl_, request, [](auto r) {
    auto e = r.getExplanation();
    Explanation out;
    out.access = from_wire(e.getAccess());
    out.policy = static_cast<Policy>(e.getPolicy());
    out.basis = text(e.getBasis());
    for (auto g : e.getGrants())
      out.grants.push_back(
          ExplainedGrant{g.getTeam(), g.getSubject(), from_wire(g.getAccess()), g.getCounted(), text(g.getNote())});
    for (auto c : e.getCaps()) out.caps.push_back(text(c));
    return Result<Explanation>(std::move(out));
  });
}

Result<ProjectPage> Client::lookup_projects(const UserRef& user, std::string_view action, const PageQuery& page) {
  auto request = impl_->service.lookupProjectsRequest();
  request.setAtLeastRevision(impl_->read_revision);
  detail::to_wire(user, request.initUser());
  request.setAction(as_text(action));
  request.setLimit(page.limit);
  request.setAfter(page.after);
  return call<ProjectPage>(*impl_, request, [](auto r) { return Result<ProjectPage>(from_wire(r.getPage())); });
}

Result<UserPage> Client::lookup_users(Id project, std::string_view action, const PageQuery& page) {
  auto request = impl_->service.lookupUsersRequest();
  request.setAtLeastRevision(impl_->read_revision);
  request.setProject(project);
  request.setAction(as_text(action));
  request.setLimit(page.limit);
  request.setAfter(page.after);
  return call<UserPage>(*impl_, request, [](auto r) {
    UserPage out;
    for (auto u : r.getPage().getUsers()) out.users.push_back(u);
    out.next = r.getPage().getNext();
    return Result<UserPage>(std::move(out));
  });
}

Result<ProjectPage> Session::list_projects(const PageQuery& page) {
  auto request = impl_->session.listProjectsRequest();
  request.setLimit(page.limit);
  request.setAfter(page.after);
  return call<ProjectPage>(*impl_->client, request, [](auto r) { return Result<ProjectPage>(from_wire(r.getPage())); });
}

Result<Project> Session::show_project(Id project) {
  auto request = impl_->session.showProjectRequest();
  request.setProject(project);
  return call<Project>(*impl_->client, request, [](auto r) { return Result<Project>(from_wire(r.getProject())); });
}

Result<void> Session::set_level(Id project, const GrantSubject& subject, const std::vector<Level>& levels) {
  auto request = impl_->session.setLevelRequest();
  request.setProject(project);
  to_wire(subject, request.initSubject());
  to_wire(levels, request.initLevels(static_cast<unsigned>(levels.size())));
  return call_void(*impl_->client, request);
}

Result<void> Session::revoke(Id project, const GrantSubject& subject) {
  auto request = impl_->session.revokeRequest();
  request.setProject(project);
  to_wire(subject, request.initSubject());
  return call_void(*impl_->client, request);
}

Result<void> Session::transfer_project(Id project, const UserRef& new_owner) {
  auto request = impl_->session.transferProjectRequest();
  request.setProject(project);
  detail::to_wire(new_owner, request.initUser());
  return call_void(*impl_->client, request);
}

Result<void> Session::delete_project(Id project) {
  auto request = impl_->session.deleteProjectRequest();
  request.setProject(project);
  return call_void(*impl_->client, request);
}

Result<std::vector<Collaborator>> Session::collaborators(Id project) {
  auto request = impl_->session.collaboratorsRequest();
  request.setProject(project);
  return call<std::vector<Collaborator>>(*impl_->client, request, [](auto r) {
    std::vector<Collaborator> out;
    for (auto c : r.getCollaborators())
      out.push_back(Collaborator{static_cast<CollaboratorKind>(c.getKind()), c.getSubject(), text(c.getName()),
                                 from_wire(c.getAccess()), static_cast<InvitationStatus>(c.getStatus()),
                                 c.getInvitation(), c.getGuest()});
    return Result<std::vector<Collaborator>>(std::move(out));
  });
}

Result<std::vector<ActivityEvent>> Session::activity(Id project, std::uint32_t limit) {
  auto request = impl_->session.activityRequest();
  request.setProject(project);
  request.setLimit(limit);
  return call<std::vector<ActivityEvent>>(*impl_->client, request, [](auto r) {
    std::vector<ActivityEvent> out;
    for (auto e : r.getEvents()) out.push_back(ActivityEvent{e.getTime(), e.getActor(), text(e.getWhat())});
    return Result<std::vector<ActivityEvent>>(std::move(out));
  });
}

}  // namespace roster
