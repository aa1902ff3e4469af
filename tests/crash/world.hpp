// The crash loop's model of what a server holds: one worker's users, teams,
// projects and pending invitations, as plain values that compare. A worker
// changes only its own world, so its model is exact while the server lives;
// after a crash the server's state must equal the model, or the model with
// the one change that was in flight applied (SPEC C6: an unacknowledged
// change is fully there or fully absent).
#pragma once

#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "roster/types.hpp"

namespace roster::crash {

struct member {
  TeamRole role = TeamRole::member;
  MemberFlags flags;
};

struct team_state {
  std::string name;
  std::map<Id, member> members;
};

struct project_state {
  std::string name;
  Id owner = 0;
  std::map<Id, std::string> user_grants;  // user → level of the simple schema
  std::set<Id> team_grants;               // at level view
};

// A pending invitation: to a team (with the flags offered) or to a project
// (at level view), from `inviter` to `invitee`.
struct invitation_key {
  TargetKind kind = TargetKind::team;
  Id target = 0;
  Id invitee = 0;
  Id inviter = 0;
  bool view_datasets = false;
  bool view_code = false;

  auto tie() const { return std::tie(kind, target, invitee, inviter, view_datasets, view_code); }
  bool operator<(const invitation_key& o) const { return tie() < o.tie(); }
  bool operator==(const invitation_key& o) const { return tie() == o.tie(); }
};

struct world {
  std::map<std::string, Id> users;    // registered, not removed
  std::map<std::string, Id> removed;  // removed from the platform (U4)
  std::map<Id, team_state> teams;
  std::set<Id> deleted_teams;
  std::map<Id, project_state> projects;
  std::set<Id> deleted_projects;
  // The invitation's id is learnt from the server; it is not a fact that
  // two worlds compare.
  std::map<invitation_key, Id> pending;
};

// The facts, not the invitation ids; empty when `seen` equals `expected`,
// otherwise a few lines saying where they differ.
std::string difference(const world& expected, const world& seen);

// P4 for a project of kind `project`: may `user` view its outputs?
bool may_view(const world& w, Id user, Id project);

enum class change_kind {
  add_user,
  remove_user,
  create_team,
  delete_team,
  invite_to_team,
  remove_member,
  leave_team,
  transfer_team,
  create_project,
  delete_project,
  grant_team,
  revoke_team,
  invite_to_project,
  revoke_user,
  transfer_project,
  accept,
  reject,
  cancel,
};

const char* to_string(change_kind kind);

// One change a worker makes: who acts, on what. `created` is the id the
// server answered (users, teams, projects, invitations).
struct change {
  change_kind kind = change_kind::add_user;
  Id actor = 0;  // the acting user; 0 for the service
  Id team = 0;
  Id project = 0;
  Id user = 0;       // whom it is about
  std::string name;  // of the new user, team or project; of the invitee
  invitation_key invitation;
  Id created = 0;
  Id invitation_id = 0;  // the pending invitation answered or cancelled

  std::string describe() const;
};

// Whether the change may be interrupted by a crash and then finish on its
// own after the restart (the persisted step lists of DESIGN.md).
bool resumes_after_restart(change_kind kind);

// A change the model says the server must accept, chosen at random with
// weights that keep the world around a steady size. `serial` numbers the
// names this worker creates (`prefix` keeps them apart from other workers').
change choose_change(const world& w, std::mt19937& random, const std::string& prefix, int serial);

// The world after the server acknowledged `c` (with `c.created` filled in).
void apply(world& w, const change& c);

}  // namespace roster::crash
