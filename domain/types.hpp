// Roster's domain vocabulary: plain value types shared by the rules, the
// actors, the record codecs and the message definitions. No CAF, no Cap'n
// Proto, no storage and no threads in domain/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "roster/error_code.hpp"

namespace roster::domain {

// Users, teams, projects, invitations and notifications share one id space:
// ids are never reused (storage keeps the high-water mark).
using entity_id = std::uint64_t;
inline constexpr entity_id no_entity = 0;

// N1: tenants are entities too; `default` is 0, which every record written
// before tenants existed reads as.
inline constexpr entity_id default_tenant = 0;
inline constexpr const char* default_tenant_name = "default";

// Milliseconds since the Unix epoch.
using millis = std::int64_t;

// Values match the enums of schema/roster.capnp.
enum class platform_role : std::uint8_t { standard = 0, admin = 1, read_only = 2 };
enum class team_role : std::uint8_t { member = 0, admin = 1, manager = 2 };
enum class admission : std::uint8_t { invite = 0, direct = 1 };
enum class invitation_status : std::uint8_t { pending, accepted, rejected, cancelled, expired };
enum class target_kind : std::uint8_t { team = 0, project = 1 };
enum class project_kind : std::uint8_t { project = 0, dataset = 1, code = 2, notebook = 3 };
enum class resolution_policy : std::uint8_t { highest = 0, most_specific = 1 };
enum class notification_kind : std::uint8_t {
  invited,
  reminded,
  invitation_cancelled,
  invitation_accepted,
  invitation_rejected,
  added_to_team,
  removed_from_team,
  team_deleted,
  role_changed,
  ownership_received,
  access_ended,  // P9: a grant or membership expired
};

// What every check needs to know of a user, as the actors publish it
// (actors/published/platform_facts.hpp).
struct user_standing {
  bool known = false;  // false: not learnt yet
  bool exists = false;
  bool removed = false;
  platform_role role = platform_role::standard;
  bool tenant_admin = false;  // N4: a platform admin's rights inside their tenant
};

// A domain failure: a stable code and a sentence for people.
struct failure {
  ErrorCode code;
  std::string message;
};

struct member_flags {
  bool view_datasets = false;
  bool view_code = false;
};

// A level by name, as callers give it; resolved against a project's schema.
struct level_spec {
  std::string category;  // empty for a one-category schema
  std::string level;
};

struct project_access {
  std::vector<level_spec> levels;
  bool upload = false;
  bool download = false;
  millis expires = 0;  // P9: when the access ends; 0 for never
};

// P9: when access ends, in milliseconds since the epoch; 0 for never. It
// ends exactly then: from that instant on it counts no more.
inline bool in_force(millis expires, millis now) { return expires == 0 || now < expires; }
// The earlier of two expiries, 0 being the latest of all.
inline millis earlier_expiry(millis a, millis b) { return a == 0 ? b : b == 0 ? a : (a < b ? a : b); }

// A resolved grant: one level index per category of the project's schema
// (0 = no access), plus the upload and download flags, until `expires`.
struct grant {
  std::vector<std::uint8_t> levels;
  bool upload = false;
  bool download = false;
  millis expires = 0;
};

struct user_profile {
  entity_id id = no_entity;
  std::string username;
  std::string email;
  std::string name;
  platform_role role = platform_role::standard;
  bool team_manager = false;
  bool removed = false;
  millis created = 0;
  entity_id tenant = default_tenant;  // N1: fixed when the user is added
  bool tenant_admin = false;          // N4
};

struct team_member {
  entity_id user = no_entity;
  std::string username;
  team_role role = team_role::member;
  member_flags flags;
  millis expires = 0;  // P9: when the membership ends; 0 for never
};

struct invitation {
  entity_id id = no_entity;
  target_kind kind = target_kind::team;
  entity_id target = no_entity;
  entity_id inviter = no_entity;
  entity_id invitee = no_entity;
  std::string invitee_email;
  member_flags team_flags;        // when kind == team
  project_access project;         // when kind == project (levels by name)
  millis membership_expires = 0;  // when kind == team: when the membership ends (P9)
  std::string message;
  millis created = 0;
  millis expires = 0;
  invitation_status status = invitation_status::pending;
  std::uint32_t reminders = 0;
  millis reminded_at = 0;
  // For people: the target's name, the inviter's and the invitee's
  // usernames, as they were when the invitation was made.
  std::string target_name;
  std::string inviter_name;
  std::string invitee_name;

  // The status a caller sees at `now`: a pending invitation past its expiry
  // is expired even before anything rewrote it (I6).
  invitation_status status_at(millis now) const {
    return status == invitation_status::pending && now >= expires ? invitation_status::expired : status;
  }
};

struct notification {
  entity_id id = no_entity;
  notification_kind kind = notification_kind::invited;
  bool read = false;
  millis time = 0;
  entity_id invitation = no_entity;
  entity_id subject = no_entity;
  entity_id actor = no_entity;
};

struct team_info {
  entity_id id = no_entity;
  std::string name;
  std::string icon;
  admission admission_mode = admission::invite;
  millis created = 0;
  bool deleted = false;
  entity_id tenant = default_tenant;  // N1: its creator's
};

// A team as listings show it (T2).
struct team_summary {
  entity_id id = no_entity;
  std::string name;
  std::string icon;
  std::uint32_t members = 0;
  entity_id tenant = default_tenant;
};

struct project_info {
  entity_id id = no_entity;
  std::string name;
  project_kind kind = project_kind::project;
  entity_id owner = no_entity;
  std::string schema = "simple";
  resolution_policy policy = resolution_policy::highest;
  millis created = 0;
  bool deleted = false;               // P7: kept for audit, gone for everyone else
  entity_id tenant = default_tenant;  // N1: its owner's at creation
};

// N1: an organisation sharing the server.
struct tenant_info {
  entity_id id = default_tenant;
  std::string name;
  millis created = 0;
  bool deleted = false;
};

// P8: one entry of a project's activity log.
struct activity_event {
  millis time = 0;
  entity_id actor = no_entity;  // no_entity: the service
  std::string what;
};

}  // namespace roster::domain
