#include "crash/world.hpp"

#include <algorithm>
#include <functional>
#include <sstream>
#include <vector>

namespace roster::crash {

namespace {

template <class Map>
std::vector<typename Map::key_type> keys_of(const Map& map) {
  std::vector<typename Map::key_type> keys;
  for (const auto& entry : map) keys.push_back(entry.first);
  return keys;
}

template <class T>
const T& pick(const std::vector<T>& options, std::mt19937& random) {
  return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(random)];
}

Id manager_of(const team_state& team) {
  for (const auto& [user, m] : team.members)
    if (m.role == TeamRole::manager) return user;
  return 0;
}

bool manages_a_team(const world& w, Id user) {
  for (const auto& [id, team] : w.teams)
    if (manager_of(team) == user) return true;
  return false;
}

bool owns_a_project(const world& w, Id user) {
  for (const auto& [id, project] : w.projects)
    if (project.owner == user) return true;
  return false;
}

bool has_pending(const world& w, TargetKind kind, Id target, Id invitee) {
  for (const auto& [key, id] : w.pending)
    if (key.kind == kind && key.target == target && key.invitee == invitee) return true;
  return false;
}

void erase_pending_if(world& w, const std::function<bool(const invitation_key&)>& doomed) {
  for (auto it = w.pending.begin(); it != w.pending.end();)
    it = doomed(it->first) ? w.pending.erase(it) : std::next(it);
}

const char* role_name(TeamRole role) { return to_string(role); }

}  // namespace

std::string difference(const world& expected, const world& seen) {
  std::ostringstream out;
  auto users = [&](const char* what, const std::map<std::string, Id>& e, const std::map<std::string, Id>& s) {
    for (const auto& [name, id] : e) {
      auto it = s.find(name);
      if (it == s.end())
        out << "  " << what << " " << name << " (" << id << ") expected, not seen\n";
      else if (it->second != id)
        out << "  " << what << " " << name << " has id " << it->second << ", expected " << id << "\n";
    }
    for (const auto& [name, id] : s)
      if (!e.count(name)) out << "  " << what << " " << name << " (" << id << ") seen, not expected\n";
  };
  users("user", expected.users, seen.users);
  users("removed user", expected.removed, seen.removed);

  for (const auto& [id, team] : expected.teams) {
    auto it = seen.teams.find(id);
    if (it == seen.teams.end()) {
      out << "  team " << id << " (" << team.name << ") expected, not seen\n";
      continue;
    }
    if (it->second.name != team.name) out << "  team " << id << " is named " << it->second.name << "\n";
    for (const auto& [user, m] : team.members) {
      auto s = it->second.members.find(user);
      if (s == it->second.members.end())
        out << "  team " << id << ": member " << user << " expected, not seen\n";
      else if (s->second.role != m.role || s->second.flags.view_datasets != m.flags.view_datasets ||
               s->second.flags.view_code != m.flags.view_code)
        out << "  team " << id << ": member " << user << " is " << role_name(s->second.role) << ", expected "
            << role_name(m.role) << " (or other flags)\n";
    }
    for (const auto& [user, m] : it->second.members)
      if (!team.members.count(user)) out << "  team " << id << ": member " << user << " seen, not expected\n";
  }
  for (const auto& [id, team] : seen.teams)
    if (!expected.teams.count(id)) out << "  team " << id << " (" << team.name << ") seen, not expected\n";
  if (expected.deleted_teams != seen.deleted_teams) out << "  the deleted teams differ\n";

  for (const auto& [id, project] : expected.projects) {
    auto it = seen.projects.find(id);
    if (it == seen.projects.end()) {
      out << "  project " << id << " (" << project.name << ") expected, not seen\n";
      continue;
    }
    const auto& s = it->second;
    if (s.name != project.name) out << "  project " << id << " is named " << s.name << "\n";
    if (s.owner != project.owner)
      out << "  project " << id << " is owned by " << s.owner << ", expected " << project.owner << "\n";
    for (const auto& [user, level] : project.user_grants) {
      auto g = s.user_grants.find(user);
      if (g == s.user_grants.end())
        out << "  project " << id << ": grant to user " << user << " expected, not seen\n";
      else if (g->second != level)
        out << "  project " << id << ": user " << user << " at " << g->second << ", expected " << level << "\n";
    }
    for (const auto& [user, level] : s.user_grants)
      if (!project.user_grants.count(user))
        out << "  project " << id << ": grant to user " << user << " seen, not expected\n";
    for (Id team : project.team_grants)
      if (!s.team_grants.count(team))
        out << "  project " << id << ": grant to team " << team << " expected, not seen\n";
    for (Id team : s.team_grants)
      if (!project.team_grants.count(team))
        out << "  project " << id << ": grant to team " << team << " seen, not expected\n";
  }
  for (const auto& [id, project] : seen.projects)
    if (!expected.projects.count(id)) out << "  project " << id << " (" << project.name << ") seen, not expected\n";
  if (expected.deleted_projects != seen.deleted_projects) out << "  the deleted projects differ\n";

  auto describe = [](const invitation_key& k) {
    std::ostringstream text;
    text << "invitation to " << to_string(k.kind) << " " << k.target << " for user " << k.invitee << " from "
         << k.inviter;
    return text.str();
  };
  for (const auto& [key, id] : expected.pending)
    if (!seen.pending.count(key)) out << "  pending " << describe(key) << " (" << id << ") expected, not seen\n";
  for (const auto& [key, id] : seen.pending)
    if (!expected.pending.count(key)) out << "  pending " << describe(key) << " (" << id << ") seen, not expected\n";
  return out.str();
}

bool may_view(const world& w, Id user, Id project) {
  auto p = w.projects.find(project);
  if (p == w.projects.end()) return false;
  bool active = false;
  for (const auto& [name, id] : w.users) active |= id == user;
  if (!active) return false;
  if (p->second.owner == user || p->second.user_grants.count(user)) return true;
  for (Id team : p->second.team_grants) {
    auto t = w.teams.find(team);
    if (t != w.teams.end() && t->second.members.count(user)) return true;
  }
  return false;
}

const char* to_string(change_kind kind) {
  switch (kind) {
    case change_kind::add_user:
      return "add_user";
    case change_kind::remove_user:
      return "remove_user";
    case change_kind::create_team:
      return "create_team";
    case change_kind::delete_team:
      return "delete_team";
    case change_kind::invite_to_team:
      return "invite_to_team";
    case change_kind::remove_member:
      return "remove_member";
    case change_kind::leave_team:
      return "leave_team";
    case change_kind::transfer_team:
      return "transfer_team";
    case change_kind::create_project:
      return "create_project";
    case change_kind::delete_project:
      return "delete_project";
    case change_kind::grant_team:
      return "grant_team";
    case change_kind::revoke_team:
      return "revoke_team";
    case change_kind::invite_to_project:
      return "invite_to_project";
    case change_kind::revoke_user:
      return "revoke_user";
    case change_kind::transfer_project:
      return "transfer_project";
    case change_kind::accept:
      return "accept";
    case change_kind::reject:
      return "reject";
    case change_kind::cancel:
      return "cancel";
  }
  return "?";
}

std::string change::describe() const {
  std::ostringstream out;
  out << to_string(kind) << " by " << actor;
  if (team) out << " team " << team;
  if (project) out << " project " << project;
  if (user) out << " user " << user;
  if (!name.empty()) out << " name " << name;
  if (invitation.target)
    out << " invitation to " << to_string(invitation.kind) << " " << invitation.target << " for " << invitation.invitee;
  if (created) out << " -> " << created;
  return out.str();
}

bool resumes_after_restart(change_kind kind) {
  return kind == change_kind::remove_user || kind == change_kind::delete_team;
}

change choose_change(const world& w, std::mt19937& random, const std::string& prefix, int serial) {
  const auto users = [&] {
    std::vector<Id> ids;
    for (const auto& [name, id] : w.users) ids.push_back(id);
    return ids;
  }();
  const auto team_ids = keys_of(w.teams);
  const auto project_ids = keys_of(w.projects);

  // Every candidate of each kind, so that a kind is chosen only when it has one.
  std::vector<std::pair<int, std::vector<change>>> kinds;
  auto offer = [&](int weight, std::vector<change> options) {
    if (weight > 0 && !options.empty()) kinds.emplace_back(weight, std::move(options));
  };
  const std::string name = prefix + "-" + std::to_string(serial);
  std::map<Id, std::string> username;
  for (const auto& [user_name, id] : w.users) username[id] = user_name;

  offer(users.size() < 16 ? 10 : 1, {change{change_kind::add_user, 0, 0, 0, 0, name, {}, 0}});
  if (!users.empty()) {
    offer(team_ids.size() < 4 ? 5 : 1, {change{change_kind::create_team, pick(users, random), 0, 0, 0, name, {}, 0}});
    offer(project_ids.size() < 4 ? 5 : 1,
          {change{change_kind::create_project, pick(users, random), 0, 0, 0, name, {}, 0}});
  }
  std::vector<change> removals;
  for (Id u : users)
    if (!manages_a_team(w, u) && !owns_a_project(w, u))
      removals.push_back(change{change_kind::remove_user, 0, 0, 0, u, "", {}, 0});
  offer(users.size() > 8 ? 3 : 0, removals);

  std::vector<change> deletions, invites, removals_from_team, leavings, transfers;
  for (const auto& [id, team] : w.teams) {
    Id manager = manager_of(team);
    deletions.push_back(change{change_kind::delete_team, manager, id, 0, 0, "", {}, 0});
    for (Id u : users) {
      if (team.members.count(u) || has_pending(w, TargetKind::team, id, u)) continue;
      invitation_key key{TargetKind::team, id, u, manager, random() % 2 == 0, random() % 2 == 0};
      invites.push_back(change{change_kind::invite_to_team, manager, id, 0, u, username[u], key, 0});
    }
    for (const auto& [u, m] : team.members) {
      if (m.role == TeamRole::manager) continue;
      removals_from_team.push_back(change{change_kind::remove_member, manager, id, 0, u, "", {}, 0});
      leavings.push_back(change{change_kind::leave_team, u, id, 0, 0, "", {}, 0});
      transfers.push_back(change{change_kind::transfer_team, manager, id, 0, u, "", {}, 0});
    }
  }
  offer(team_ids.size() > 2 ? 2 : 0, deletions);
  offer(10, invites);
  offer(3, removals_from_team);
  offer(3, leavings);
  offer(1, transfers);

  std::vector<change> project_deletions, grants, team_revokes, project_invites, user_revokes, handovers;
  for (const auto& [id, project] : w.projects) {
    Id owner = project.owner;
    project_deletions.push_back(change{change_kind::delete_project, owner, 0, id, 0, "", {}, 0});
    for (Id team : team_ids) {
      if (project.team_grants.count(team))
        team_revokes.push_back(change{change_kind::revoke_team, owner, team, id, 0, "", {}, 0});
      else
        grants.push_back(change{change_kind::grant_team, owner, team, id, 0, "", {}, 0});
    }
    for (Id u : users) {
      if (u == owner) continue;
      if (project.user_grants.count(u)) {
        user_revokes.push_back(change{change_kind::revoke_user, owner, 0, id, u, "", {}, 0});
        continue;
      }
      if (has_pending(w, TargetKind::project, id, u)) continue;
      invitation_key key{TargetKind::project, id, u, owner, false, false};
      project_invites.push_back(change{change_kind::invite_to_project, owner, 0, id, u, username[u], key, 0});
      handovers.push_back(change{change_kind::transfer_project, owner, 0, id, u, "", {}, 0});
    }
  }
  offer(project_ids.size() > 2 ? 2 : 0, project_deletions);
  offer(4, grants);
  offer(2, team_revokes);
  offer(6, project_invites);
  offer(2, user_revokes);
  offer(1, handovers);

  std::vector<change> accepts, rejects, cancels;
  for (const auto& [key, id] : w.pending) {
    accepts.push_back(change{change_kind::accept, key.invitee, 0, 0, 0, "", key, 0, id});
    rejects.push_back(change{change_kind::reject, key.invitee, 0, 0, 0, "", key, 0, id});
    // Whoever manages the target now may cancel (I5), whoever invited.
    Id manager = key.kind == TargetKind::team ? manager_of(w.teams.at(key.target)) : w.projects.at(key.target).owner;
    cancels.push_back(change{change_kind::cancel, manager, 0, 0, 0, "", key, 0, id});
  }
  offer(8, accepts);
  offer(2, rejects);
  offer(2, cancels);

  int total = 0;
  for (const auto& [weight, options] : kinds) total += weight;
  int at = std::uniform_int_distribution<int>(0, total - 1)(random);
  for (const auto& [weight, options] : kinds) {
    if (at < weight) return pick(options, random);
    at -= weight;
  }
  return kinds.front().second.front();
}

void apply(world& w, const change& c) {
  switch (c.kind) {
    case change_kind::add_user:
      w.users[c.name] = c.created;
      break;
    case change_kind::remove_user: {
      for (auto it = w.users.begin(); it != w.users.end(); ++it)
        if (it->second == c.user) {
          w.removed.insert(*it);
          w.users.erase(it);
          break;
        }
      for (auto& [id, team] : w.teams) team.members.erase(c.user);
      for (auto& [id, project] : w.projects) project.user_grants.erase(c.user);
      erase_pending_if(w, [&](const invitation_key& k) { return k.invitee == c.user || k.inviter == c.user; });
      break;
    }
    case change_kind::create_team:
      // The creator manages the team and sees its datasets and code.
      w.teams[c.created] = team_state{c.name, {{c.actor, member{TeamRole::manager, MemberFlags{true, true}}}}};
      break;
    case change_kind::delete_team:
      w.teams.erase(c.team);
      w.deleted_teams.insert(c.team);
      for (auto& [id, project] : w.projects) project.team_grants.erase(c.team);
      erase_pending_if(w, [&](const invitation_key& k) { return k.kind == TargetKind::team && k.target == c.team; });
      break;
    case change_kind::invite_to_team:
    case change_kind::invite_to_project:
      w.pending[c.invitation] = c.created;
      break;
    case change_kind::remove_member:
      w.teams.at(c.team).members.erase(c.user);
      break;
    case change_kind::leave_team:
      w.teams.at(c.team).members.erase(c.actor);
      break;
    case change_kind::transfer_team: {
      auto& members = w.teams.at(c.team).members;
      members.at(c.actor).role = TeamRole::admin;
      members.at(c.user).role = TeamRole::manager;
      break;
    }
    case change_kind::create_project:
      w.projects[c.created] = project_state{c.name, c.actor, {}, {}};
      break;
    case change_kind::delete_project:
      w.projects.erase(c.project);
      w.deleted_projects.insert(c.project);
      erase_pending_if(w,
                       [&](const invitation_key& k) { return k.kind == TargetKind::project && k.target == c.project; });
      break;
    case change_kind::grant_team:
      w.projects.at(c.project).team_grants.insert(c.team);
      break;
    case change_kind::revoke_team:
      w.projects.at(c.project).team_grants.erase(c.team);
      break;
    case change_kind::revoke_user:
      w.projects.at(c.project).user_grants.erase(c.user);
      break;
    case change_kind::transfer_project: {
      auto& project = w.projects.at(c.project);
      project.user_grants[project.owner] = "own";  // P6: the old owner keeps the top level
      project.owner = c.user;
      break;
    }
    case change_kind::accept: {
      const auto& k = c.invitation;
      if (k.kind == TargetKind::team)
        w.teams.at(k.target).members[k.invitee] = member{TeamRole::member, MemberFlags{k.view_datasets, k.view_code}};
      else
        w.projects.at(k.target).user_grants[k.invitee] = "view";
      w.pending.erase(k);
      break;
    }
    case change_kind::reject:
    case change_kind::cancel:
      w.pending.erase(c.invitation);
      break;
  }
}

}  // namespace roster::crash
