// Messages a team actor handles (T1-T9), and what it answers.
//
// Each message's inspector follows it. Include actors/messages.hpp, which
// gives every message its CAF type id, rather than this file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/support/message_basics.hpp"

namespace roster::actors {

struct create_team_cmd {
  std::string name;
  std::string icon;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_team_cmd& x) {
  return f(caf::meta::type_name("create_team_cmd"), x.name, x.icon);
}

struct team_invite_cmd {
  entity_id team = no_entity;
  std::string invitee;  // a username or an e-mail address
  member_flags flags;
  std::string message;
  millis expires = 0;  // P9: when the membership ends; 0 for never
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_invite_cmd& x) {
  return f(caf::meta::type_name("team_invite_cmd"), x.team, x.invitee, x.flags, x.message, x.expires);
}

struct team_show_cmd {
  entity_id team = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_show_cmd& x) {
  return f(caf::meta::type_name("team_show_cmd"), x.team);
}

struct team_leave_cmd {
  entity_id team = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_leave_cmd& x) {
  return f(caf::meta::type_name("team_leave_cmd"), x.team);
}

// T3: rename, change the icon, set the admission mode; unset fields stay.
// (caf::optional: CAF 0.17 inspects it, not std::optional.)
struct team_set_cmd {
  entity_id team = no_entity;
  caf::optional<std::string> name;
  caf::optional<std::string> icon;
  caf::optional<admission> admission_mode;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_set_cmd& x) {
  return f(caf::meta::type_name("team_set_cmd"), x.team, x.name, x.icon, x.admission_mode);
}

// T3: make a member an admin, or an admin a member again.
struct team_admin_cmd {
  entity_id team = no_entity;
  user_ref user;
  bool admin = true;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_admin_cmd& x) {
  return f(caf::meta::type_name("team_admin_cmd"), x.team, x.user, x.admin);
}

// T6: add a user at once (direct admission).
struct team_add_cmd {
  entity_id team = no_entity;
  user_ref user;
  member_flags flags;
  millis expires = 0;  // P9, as team_invite_cmd's
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_add_cmd& x) {
  return f(caf::meta::type_name("team_add_cmd"), x.team, x.user, x.flags, x.expires);
}

// T3: remove a member.
struct team_remove_cmd {
  entity_id team = no_entity;
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_remove_cmd& x) {
  return f(caf::meta::type_name("team_remove_cmd"), x.team, x.user);
}

// T8: hand the manager role to a member.
struct team_transfer_cmd {
  entity_id team = no_entity;
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_transfer_cmd& x) {
  return f(caf::meta::type_name("team_transfer_cmd"), x.team, x.user);
}

// T9
struct team_delete_cmd {
  entity_id team = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_delete_cmd& x) {
  return f(caf::meta::type_name("team_delete_cmd"), x.team);
}

// T4: flags never change in place; always answers immutable_permissions
// for a member.
struct team_set_flags_cmd {
  entity_id team = no_entity;
  user_ref user;
  member_flags flags;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_set_flags_cmd& x) {
  return f(caf::meta::type_name("team_set_flags_cmd"), x.team, x.user, x.flags);
}

struct team_view {
  team_info info;
  std::vector<team_member> members;
  std::vector<invitation> invitations;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_view& x) {
  return f(caf::meta::type_name("team_view"), x.info, x.members, x.invitations);
}

// project -> team (through the directory): the project holds a copy of the
// team's members from now on; answers the current members.
struct team_subscribe_msg {
  entity_id team = no_entity;
  entity_id project = no_entity;
  entity_id tenant = default_tenant;  // the project's: it grants only its own tenant's teams (N2)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_subscribe_msg& x) {
  return f(caf::meta::type_name("team_subscribe_msg"), x.team, x.project, x.tenant);
}

struct member_entry {
  entity_id user = no_entity;
  member_flags flags;
  millis expires = 0;  // P9: when the membership ends; 0 for never
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_entry& x) {
  return f(caf::meta::type_name("member_entry"), x.user, x.flags, x.expires);
}

struct member_set {
  std::vector<member_entry> members;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_set& x) {
  return f(caf::meta::type_name("member_set"), x.members);
}

// project -> team (through the directory): the project no longer holds a
// copy of the team's members (grant revoked or project deleted).
struct team_unsubscribe_msg {
  entity_id team = no_entity;
  entity_id project = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, team_unsubscribe_msg& x) {
  return f(caf::meta::type_name("team_unsubscribe_msg"), x.team, x.project);
}

// U4 removal steps (through the directory), each idempotent: the team drops
// the removed user (handing the manager role on), the project drops their
// grant and their pending invitations.
struct member_gone_msg {
  entity_id team = no_entity;
  entity_id user = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, member_gone_msg& x) {
  return f(caf::meta::type_name("member_gone_msg"), x.team, x.user);
}

}  // namespace roster::actors
