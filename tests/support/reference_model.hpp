// A small, obviously sequential model of SPEC.md's rules for teams,
// invitations, projects and checks (T3, T5, T7, T9, I2-I5, P1, P2, P4, P5,
// P7, C1) among users of several tenants (N2-N4): plain maps, no actors, no
// storage. The randomized test runs the same operations against the server
// and compares every outcome.
//
// Users, teams, projects and invitations are numbered by the order the
// model created them; the test keeps the server's ids beside them.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "roster/error_code.hpp"

namespace roster::model {

// nullopt: the call succeeds.
using outcome = std::optional<ErrorCode>;

enum class role { standard, admin, read_only };
enum class kind { project, dataset };
enum class status { pending, accepted, rejected, cancelled };

// Levels of the `simple` schema: 0 none, 1 view, 2 edit, 3 own.
constexpr int view = 1, edit = 2, own = 3;

struct subject {
  bool team = false;
  int id = 0;  // a user or a team
};

struct user_spec {
  role platform_role = role::standard;
  int tenant = 0;
  bool tenant_admin = false;  // N4
};

class reference_model {
 public:
  explicit reference_model(std::vector<user_spec> users) : users_(std::move(users)) {}

  int user_count() const { return static_cast<int>(users_.size()); }
  int team_count() const { return static_cast<int>(teams_.size()); }
  int project_count() const { return static_cast<int>(projects_.size()); }
  int invitation_count() const { return static_cast<int>(invitations_.size()); }

  // Each returns what the server must answer; on success the model changes.
  int create_team(int actor);
  outcome invite_to_team(int actor, int team, int invitee, bool view_datasets, bool view_code);
  outcome remove_from_team(int actor, int team, int user);
  outcome leave_team(int actor, int team);
  outcome delete_team(int actor, int team);

  outcome create_project(int actor, kind k);
  // `by_email`: the invitee named by address, which reaches another
  // tenant's user (N3: a guest of this project once accepted).
  outcome invite_to_project(int actor, int project, int invitee, int level, bool by_email);
  outcome grant_team(int actor, int project, int team, int level);
  outcome set_level(int actor, int project, subject s, int level);
  outcome revoke(int actor, int project, subject s);
  outcome delete_project(int actor, int project);

  enum class answer { accept, reject, cancel };
  outcome answer_invitation(int actor, int invitation, answer a);

  // C1: allowed for an action that needs `level`, or not_found.
  std::optional<bool> check(int user, int project, int level) const;
  // P4: the effective level (0 to 3).
  int effective(int user, int project) const;
  // N2: whether `user` finds the team at all (P1 decides for projects:
  // effective() > 0).
  bool sees_team(int user, int team) const;

 private:
  struct member {
    bool manager = false;
    bool view_datasets = false;
    bool view_code = false;
  };
  struct team {
    bool alive = true;
    int tenant = 0;  // its creator's (N1)
    std::map<int, member> members;
  };
  struct project {
    bool alive = true;
    int tenant = 0;  // its creator's (N1)
    int owner = 0;
    kind k = kind::project;
    std::map<int, int> users;
    std::map<int, int> teams;
  };
  struct invitation {
    bool to_team = true;
    int target = 0;
    int inviter = 0;
    int invitee = 0;
    bool view_datasets = false, view_code = false;
    int level = 0;
    status state = status::pending;
  };

  bool is_platform_admin(int user) const { return users_[user].platform_role == role::admin; }
  bool is_read_only(int user) const { return users_[user].platform_role == role::read_only; }
  // U2, N4: a platform admin, or a (standard) admin of `tenant`.
  bool administers(int user, int tenant) const {
    const auto& u = users_[user];
    return is_platform_admin(user) || (u.tenant_admin && u.platform_role == role::standard && u.tenant == tenant);
  }
  // P4.1: platform admins, and the owner unless read-only (P4.4).
  bool has_every_right(int user, int p) const;
  bool can_manage_team(int actor, int t) const;
  bool pending(bool to_team, int target, int invitee) const;
  void cancel_pending(bool to_team, int target);
  // P5: the right to grant `level`: edit invites view and edit, own invites
  // own, and nobody but the owner and admins above their own level.
  bool may_grant(int actor, int p, int level) const;

  std::vector<user_spec> users_;
  std::vector<team> teams_;
  std::vector<project> projects_;
  std::vector<invitation> invitations_;
};

}  // namespace roster::model
