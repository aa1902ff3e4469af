// Messages a user actor handles: its profile (U2, U3), its inbox (I9) and
// the mirrors of invitations and notifications their owners send it.
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

// I9: the most inbox entries a page holds.
inline constexpr std::uint32_t max_inbox_page = 1000;

struct user_show_cmd {
  user_ref user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_show_cmd& x) {
  return f(caf::meta::type_name("user_show_cmd"), x.user);
}

// U2: an admin changes anyone's platform role.
struct user_role_cmd {
  user_ref user;
  platform_role role = platform_role::standard;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_role_cmd& x) {
  return f(caf::meta::type_name("user_role_cmd"), x.user, x.role);
}

// U3: an admin gives or takes the team_manager flag.
struct user_team_manager_cmd {
  user_ref user;
  bool team_manager = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_team_manager_cmd& x) {
  return f(caf::meta::type_name("user_team_manager_cmd"), x.user, x.team_manager);
}

// N4: an admin of the platform or of the user's tenant gives or takes the
// tenant-admin flag.
struct user_tenant_admin_cmd {
  user_ref user;
  bool tenant_admin = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, user_tenant_admin_cmd& x) {
  return f(caf::meta::type_name("user_tenant_admin_cmd"), x.user, x.tenant_admin);
}

struct inbox_cmd {
  bool filter_by_status = false;
  invitation_status status = invitation_status::pending;
  std::uint32_t limit = 50;
  entity_id after = no_entity;  // cursor: entries older than this id
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_cmd& x) {
  return f(caf::meta::type_name("inbox_cmd"), x.filter_by_status, x.status, x.limit, x.after);
}

// I9: mark one notification read, or all of them.
struct mark_read_cmd {
  entity_id notification = no_entity;
  bool all = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mark_read_cmd& x) {
  return f(caf::meta::type_name("mark_read_cmd"), x.notification, x.all);
}

struct inbox_view {
  std::uint32_t unread = 0;
  std::vector<invitation> invitations;
  std::vector<notification> notifications;
  entity_id next = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_view& x) {
  return f(caf::meta::type_name("inbox_view"), x.unread, x.invitations, x.notifications, x.next);
}

// removal runner -> user actor: check the right and the projects owned,
// then mark the user removed (and the removal pending) in one transaction.
struct mark_removed_msg {
  entity_id user = no_entity;
  entity_id acting = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, mark_removed_msg& x) {
  return f(caf::meta::type_name("mark_removed_msg"), x.user, x.acting);
}

// removal runner -> user actor: every step is done.
struct removal_done_msg {
  entity_id user = no_entity;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, removal_done_msg& x) {
  return f(caf::meta::type_name("removal_done_msg"), x.user);
}

// owner -> user actor: records the owner committed, to mirror. Sent before
// the commit is durable when `committed` is set: the user shows them once it
// reports durable, and never if it failed. Local only: the ticket is not
// serialized.
struct inbox_update_msg {
  std::vector<invitation> invitations;
  std::vector<notification> notifications;
  std::shared_ptr<const commit_ticket> committed;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inbox_update_msg& x) {
  return f(caf::meta::type_name("inbox_update_msg"), x.invitations, x.notifications);
}

}  // namespace roster::actors
