#include "crash/observe.hpp"

#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

namespace roster::crash {

namespace {

std::string failed(const std::string& call, const Error& error) {
  return call + " failed: " + std::string(to_string(error.code)) + ": " + error.message;
}

// Every invitation of `user`'s inbox that is pending, through every page.
std::optional<std::vector<Invitation>> pending_in_inbox(Session user, std::vector<std::string>& broken,
                                                        const std::string& name, bool& removed) {
  std::vector<Invitation> pending;
  InboxQuery query;
  query.status = InvitationStatus::pending;
  query.limit = 1000;
  for (;;) {
    auto page = user.inbox(query);
    if (!page) {
      if (page.error().code == ErrorCode::unauthenticated) {
        removed = true;  // U4: a removed user can act no more
        return std::nullopt;
      }
      broken.push_back(failed("inbox of " + name, page.error()));
      return std::nullopt;
    }
    pending.insert(pending.end(), page->invitations.begin(), page->invitations.end());
    if (page->next == 0) return pending;
    query.after = page->next;
  }
}

// Every project lookup_projects() lists for `user` (and `action`), through
// every page; nullopt (and a line in `broken`) when a call fails.
std::optional<std::vector<Project>> every_project(Client& client, const UserRef& user, std::string_view action,
                                                  std::vector<std::string>& broken) {
  std::vector<Project> found;
  PageQuery page;
  page.limit = 1000;
  for (;;) {
    auto projects = client.lookup_projects(user, action, page);
    if (!projects) {
      broken.push_back(failed("lookup_projects", projects.error()));
      return std::nullopt;
    }
    found.insert(found.end(), projects->projects.begin(), projects->projects.end());
    if (projects->next == 0) return found;
    page.after = projects->next;
  }
}

}  // namespace

observation observe(Client& client, const world& model, const change* in_doubt) {
  observation result;
  world& seen = result.seen;
  auto& broken = result.broken;
  auto service = client.as_service();

  // Users: registered or not, removed or not; their inboxes' pending invitations.
  std::set<std::string> names;
  for (const auto& [name, id] : model.users) names.insert(name);
  for (const auto& [name, id] : model.removed) names.insert(name);
  if (in_doubt && in_doubt->kind == change_kind::add_user) names.insert(in_doubt->name);
  std::map<Id, std::vector<Invitation>> inboxes;
  for (const auto& name : names) {
    auto user = service.show_user(name);
    if (!user) {
      if (user.error().code != ErrorCode::not_found) broken.push_back(failed("show_user " + name, user.error()));
      continue;
    }
    bool removed = false;
    auto pending = pending_in_inbox(client.act_as(user->id), broken, name, removed);
    if (removed)
      seen.removed[name] = user->id;
    else if (pending) {
      seen.users[name] = user->id;
      inboxes[user->id] = std::move(*pending);
    }
  }

  // Teams, with their members and pending invitations.
  std::set<Id> team_ids;
  for (const auto& [id, team] : model.teams) team_ids.insert(id);
  team_ids.insert(model.deleted_teams.begin(), model.deleted_teams.end());
  if (in_doubt && in_doubt->kind == change_kind::create_team) {
    auto teams = service.list_teams();
    if (!teams)
      broken.push_back(failed("list_teams", teams.error()));
    else
      for (const auto& t : *teams)
        if (t.name == in_doubt->name) team_ids.insert(t.id);
  }
  for (Id id : team_ids) {
    auto team = service.show_team(id);
    if (!team) {
      if (team.error().code == ErrorCode::not_found)
        seen.deleted_teams.insert(id);
      else
        broken.push_back(failed("show_team " + std::to_string(id), team.error()));
      continue;
    }
    auto& state = seen.teams[id];
    state.name = team->name;
    for (const auto& m : team->members) state.members[m.user] = member{m.role, m.flags};
    for (const auto& inv : team->invitations) {
      if (inv.status != InvitationStatus::pending) continue;
      const auto& flags = inv.team_flags;
      invitation_key key{TargetKind::team, id, inv.invitee, inv.inviter, flags.view_datasets, flags.view_code};
      seen.pending[key] = inv.id;
    }
  }

  // Projects, with their owner, grants and pending invitations. The
  // collaborator list does not name an invitation's sender: the invitee's
  // inbox does, and the two must agree on the rest (checked below).
  std::map<Id, Id> inviter_of;
  for (const auto& [user, invitations] : inboxes)
    for (const auto& inv : invitations) inviter_of[inv.id] = inv.inviter;
  std::set<Id> project_ids;
  for (const auto& [id, project] : model.projects) project_ids.insert(id);
  project_ids.insert(model.deleted_projects.begin(), model.deleted_projects.end());
  if (in_doubt && in_doubt->kind == change_kind::create_project) {
    if (auto projects = every_project(client, in_doubt->actor, "", broken))
      for (const auto& p : *projects)
        if (p.name == in_doubt->name) project_ids.insert(p.id);
  }
  for (Id id : project_ids) {
    auto project = service.show_project(id);
    if (!project) {
      if (project.error().code == ErrorCode::not_found)
        seen.deleted_projects.insert(id);
      else
        broken.push_back(failed("show_project " + std::to_string(id), project.error()));
      continue;
    }
    auto collaborators = service.collaborators(id);
    if (!collaborators) {
      broken.push_back(failed("collaborators " + std::to_string(id), collaborators.error()));
      continue;
    }
    auto& state = seen.projects[id];
    state.name = project->name;
    state.owner = project->owner;
    for (const auto& c : *collaborators) {
      std::string level = c.access.levels.empty() ? "" : c.access.levels.front().level;
      if (c.status == InvitationStatus::accepted && c.kind == CollaboratorKind::team)
        state.team_grants.insert(c.subject);
      else if (c.status == InvitationStatus::accepted && c.kind == CollaboratorKind::user)
        state.user_grants[c.subject] = level;
      else if (c.status == InvitationStatus::pending && c.kind == CollaboratorKind::user) {
        auto inviter = inviter_of.find(c.invitation);
        invitation_key key{
            TargetKind::project, id, c.subject, inviter == inviter_of.end() ? 0 : inviter->second, false, false};
        seen.pending[key] = c.invitation;
      }
    }
  }

  // The inbox's copies: the same pending invitations as their owners hold.
  for (const auto& [user, invitations] : inboxes) {
    std::set<std::tuple<Id, TargetKind, Id>> in_inbox, at_owner;
    for (const auto& inv : invitations) in_inbox.emplace(inv.id, inv.target_kind, inv.target);
    for (const auto& [key, id] : seen.pending)
      if (key.invitee == user) at_owner.emplace(id, key.kind, key.target);
    if (in_inbox != at_owner) {
      std::ostringstream line;
      line << "user " << user << "'s inbox lists " << in_inbox.size()
           << " pending invitations, their teams and projects " << at_owner.size() << ":";
      for (const auto& [id, kind, target] : in_inbox)
        if (!at_owner.count({id, kind, target})) line << " only in the inbox " << id;
      for (const auto& [id, kind, target] : at_owner)
        if (!in_inbox.count({id, kind, target})) line << " only at the owner " << id;
      broken.push_back(line.str());
    }
  }

  // Checks agree with the grants and memberships seen, for removed users too.
  std::vector<CheckTriple> triples;
  std::vector<bool> expected;
  auto add_checks = [&](const std::map<std::string, Id>& users) {
    for (const auto& [name, user] : users)
      for (const auto& [project, state] : seen.projects) {
        triples.push_back(CheckTriple{user, project, "view_outputs"});
        expected.push_back(may_view(seen, user, project));
      }
  };
  add_checks(seen.users);
  add_checks(seen.removed);
  for (std::size_t from = 0; from < triples.size(); from += 10000) {
    std::vector<CheckTriple> chunk(
        triples.begin() + static_cast<std::ptrdiff_t>(from),
        triples.begin() + static_cast<std::ptrdiff_t>(std::min(triples.size(), from + 10000)));
    auto outcomes = client.check_bulk(chunk);
    if (!outcomes) {
      broken.push_back(failed("check_bulk", outcomes.error()));
      break;
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const auto& outcome = (*outcomes)[i];
      bool want = expected[from + i];
      if (outcome.error || outcome.allowed != want) {
        std::ostringstream line;
        line << "check(" << chunk[i].user.id << ", " << chunk[i].project << ", view_outputs) answered "
             << (outcome.error     ? to_string(*outcome.error)
                 : outcome.allowed ? "allowed"
                                   : "denied")
             << ", the grants say " << (want ? "allowed" : "denied");
        broken.push_back(line.str());
      }
    }
  }

  // The stored index of who sees what.
  for (const auto& [name, user] : seen.users) {
    std::set<Id> listed, visible;
    for (const auto& [project, state] : seen.projects)
      if (may_view(seen, user, project)) visible.insert(project);
    auto projects = every_project(client, user, "view_outputs", broken);
    if (!projects) continue;
    for (const auto& p : *projects) listed.insert(p.id);
    if (listed != visible) {
      std::ostringstream line;
      line << "lookup_projects(" << name << ") lists " << listed.size() << " projects, the grants give "
           << visible.size();
      broken.push_back(line.str());
    }
  }
  return result;
}

}  // namespace roster::crash
