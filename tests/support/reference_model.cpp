#include "support/reference_model.hpp"

#include <algorithm>

namespace roster::model {

bool reference_model::sees_team(int user, int t) const {
  return teams_[t].alive && (is_platform_admin(user) || users_[user].tenant == teams_[t].tenant);
}

bool reference_model::can_manage_team(int actor, int t) const {
  if (administers(actor, teams_[t].tenant)) return true;
  auto it = teams_[t].members.find(actor);
  return it != teams_[t].members.end() && it->second.manager;  // the model has no team admins
}

bool reference_model::pending(bool to_team, int target, int invitee) const {
  for (const auto& inv : invitations_)
    if (inv.to_team == to_team && inv.target == target && inv.invitee == invitee && inv.state == status::pending)
      return true;
  return false;
}

void reference_model::cancel_pending(bool to_team, int target) {
  for (auto& inv : invitations_)
    if (inv.to_team == to_team && inv.target == target && inv.state == status::pending) inv.state = status::cancelled;
}

int reference_model::create_team(int actor) {
  team t;
  t.tenant = users_[actor].tenant;
  t.members[actor] = member{true, true, true};
  teams_.push_back(t);
  return team_count() - 1;
}

outcome reference_model::invite_to_team(int actor, int t, int invitee, bool view_datasets, bool view_code) {
  auto& tm = teams_[t];
  if (!sees_team(actor, t)) return ErrorCode::not_found;
  if (!can_manage_team(actor, t)) return ErrorCode::permission_denied;
  if (users_[invitee].tenant != tm.tenant) return ErrorCode::not_found;  // N2: teams admit their tenant's users
  if (tm.members.count(invitee)) return ErrorCode::already_member;
  if (pending(true, t, invitee)) return ErrorCode::already_invited;
  invitations_.push_back(invitation{true, t, actor, invitee, view_datasets, view_code, 0, status::pending});
  return std::nullopt;
}

outcome reference_model::remove_from_team(int actor, int t, int user) {
  auto& tm = teams_[t];
  if (!sees_team(actor, t)) return ErrorCode::not_found;
  if (!can_manage_team(actor, t)) return ErrorCode::permission_denied;
  auto it = tm.members.find(user);
  if (it == tm.members.end()) return ErrorCode::not_found;
  if (it->second.manager) return ErrorCode::permission_denied;
  tm.members.erase(it);
  return std::nullopt;
}

outcome reference_model::leave_team(int actor, int t) {
  auto& tm = teams_[t];
  if (!sees_team(actor, t)) return ErrorCode::not_found;
  auto it = tm.members.find(actor);
  if (it == tm.members.end()) return ErrorCode::not_found;
  if (it->second.manager) return ErrorCode::manager_cannot_leave;
  tm.members.erase(it);
  return std::nullopt;
}

outcome reference_model::delete_team(int actor, int t) {
  auto& tm = teams_[t];
  if (!sees_team(actor, t)) return ErrorCode::not_found;
  if (!can_manage_team(actor, t)) return ErrorCode::permission_denied;
  tm.alive = false;
  cancel_pending(true, t);
  for (auto& p : projects_) p.teams.erase(t);
  return std::nullopt;
}

outcome reference_model::create_project(int actor, kind k) {
  if (is_read_only(actor)) return ErrorCode::exceeds_platform_role;  // U2
  project p;
  p.tenant = users_[actor].tenant;
  p.owner = actor;
  p.k = k;
  projects_.push_back(p);
  return std::nullopt;
}

bool reference_model::has_every_right(int user, int p) const {
  return administers(user, projects_[p].tenant) || (user == projects_[p].owner && !is_read_only(user));
}

int reference_model::effective(int user, int p) const {
  const auto& pr = projects_[p];
  if (!pr.alive) return 0;
  if (user == pr.owner || administers(user, pr.tenant)) return is_read_only(user) ? view : own;
  int level = 0;
  if (auto it = pr.users.find(user); it != pr.users.end()) level = it->second;
  for (const auto& [t, granted] : pr.teams) {
    auto m = teams_[t].members.find(user);
    if (m == teams_[t].members.end()) continue;
    if (pr.k == kind::dataset && !m->second.view_datasets) continue;
    level = std::max(level, granted);
  }
  if (is_read_only(user)) level = std::min(level, view);
  return level;
}

std::optional<bool> reference_model::check(int user, int p, int level) const {
  if (!projects_[p].alive) return std::nullopt;
  return effective(user, p) >= level;
}

bool reference_model::may_grant(int actor, int p, int level) const {
  if (level == 0 || has_every_right(actor, p)) return true;
  auto mine = effective(actor, p);
  return mine >= (level == own ? own : edit) && level <= mine;
}

outcome reference_model::invite_to_project(int actor, int p, int invitee, int level, bool by_email) {
  auto& pr = projects_[p];
  if (!pr.alive || effective(actor, p) == 0) return ErrorCode::not_found;
  if (!may_grant(actor, p, level)) return ErrorCode::permission_denied;
  // N2, N3: another tenant's user is reached by address alone.
  if (!by_email && users_[invitee].tenant != pr.tenant) return ErrorCode::not_found;
  if (is_read_only(invitee) && level > view) return ErrorCode::exceeds_platform_role;
  if (invitee == pr.owner || pr.users.count(invitee)) return ErrorCode::already_member;
  if (pending(false, p, invitee)) return ErrorCode::already_invited;
  invitations_.push_back(invitation{false, p, actor, invitee, false, false, level, status::pending});
  return std::nullopt;
}

outcome reference_model::grant_team(int actor, int p, int t, int level) {
  auto& pr = projects_[p];
  if (!pr.alive || effective(actor, p) == 0) return ErrorCode::not_found;
  if (!may_grant(actor, p, level)) return ErrorCode::permission_denied;
  if (pr.teams.count(t)) return ErrorCode::already_member;
  if (!teams_[t].alive || teams_[t].tenant != pr.tenant) return ErrorCode::not_found;  // N2
  pr.teams[t] = level;
  return std::nullopt;
}

outcome reference_model::set_level(int actor, int p, subject s, int level) {
  auto& pr = projects_[p];
  if (!pr.alive || effective(actor, p) == 0) return ErrorCode::not_found;
  auto& grants = s.team ? pr.teams : pr.users;
  auto it = grants.find(s.id);
  if (it == grants.end()) return ErrorCode::not_found;
  if (!may_grant(actor, p, it->second) || !may_grant(actor, p, level)) return ErrorCode::permission_denied;
  if (!s.team && is_read_only(s.id) && level > view) return ErrorCode::exceeds_platform_role;
  it->second = level;
  return std::nullopt;
}

outcome reference_model::revoke(int actor, int p, subject s) {
  auto& pr = projects_[p];
  if (!pr.alive || effective(actor, p) == 0) return ErrorCode::not_found;
  if (effective(actor, p) < own) return ErrorCode::permission_denied;  // remove_collaborators
  auto& grants = s.team ? pr.teams : pr.users;
  if (grants.erase(s.id) == 0) return ErrorCode::not_found;
  return std::nullopt;
}

outcome reference_model::delete_project(int actor, int p) {
  auto& pr = projects_[p];
  if (!pr.alive || effective(actor, p) == 0) return ErrorCode::not_found;
  if (!has_every_right(actor, p)) return ErrorCode::permission_denied;
  pr.alive = false;
  pr.users.clear();
  pr.teams.clear();
  cancel_pending(false, p);
  return std::nullopt;
}

outcome reference_model::answer_invitation(int actor, int i, answer a) {
  auto& inv = invitations_[i];
  bool alive = inv.to_team ? teams_[inv.target].alive : projects_[inv.target].alive;
  // I5: only the invitee, the inviter and the target's managers learn that
  // the invitation exists; a deleted target manages nothing any more.
  bool manages = alive && (actor == inv.inviter ||
                           (inv.to_team ? can_manage_team(actor, inv.target) : effective(actor, inv.target) >= own));
  if (actor != inv.invitee && !manages) return ErrorCode::not_found;
  if (a == answer::cancel) {
    if (!manages) return ErrorCode::permission_denied;
  } else if (actor != inv.invitee) {
    return ErrorCode::permission_denied;
  }
  if (inv.state == status::cancelled) return ErrorCode::invitation_cancelled;
  if (inv.state != status::pending) return ErrorCode::invitation_not_pending;
  if (a == answer::accept) {
    if (inv.to_team) {
      auto& tm = teams_[inv.target];
      if (tm.members.count(inv.invitee)) return ErrorCode::already_member;
      tm.members[inv.invitee] = member{false, inv.view_datasets, inv.view_code};
    } else {
      if (is_read_only(inv.invitee) && inv.level > view) return ErrorCode::exceeds_platform_role;
      projects_[inv.target].users[inv.invitee] = inv.level;
    }
  }
  inv.state = a == answer::accept ? status::accepted : a == answer::reject ? status::rejected : status::cancelled;
  return std::nullopt;
}

}  // namespace roster::model
