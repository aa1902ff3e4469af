// The values the client library speaks: plain structs, no Cap'n Proto.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "roster/error_code.hpp"
#include "roster/id.hpp"
#include "roster/result.hpp"

namespace roster {

// Milliseconds since the Unix epoch.
using Millis = std::int64_t;

enum class PlatformRole { standard = 0, admin = 1, read_only = 2 };
enum class TeamRole { member = 0, admin = 1, manager = 2 };
enum class Admission { invite = 0, direct = 1 };
enum class InvitationStatus { pending = 0, accepted, rejected, cancelled, expired };
enum class TargetKind { team = 0, project = 1 };
enum class ProjectKind { project = 0, dataset = 1, code = 2, notebook = 3 };
enum class Policy { highest = 0, most_specific = 1 };
enum class NotificationKind {
  invited = 0,
  reminded,
  invitation_cancelled,
  invitation_accepted,
  invitation_rejected,
  added_to_team,
  removed_from_team,
  team_deleted,
  role_changed,
  ownership_received,
  access_ended,  // P9: a grant or a membership expired
};

// A user by id or by username.
struct UserRef {
  Id id = 0;
  std::string name;

  UserRef(Id user_id) : id(user_id) {}
  UserRef(std::string username) : name(std::move(username)) {}
  UserRef(const char* username) : name(username) {}
  // An all-digit text names an id; anything else a username.
  static UserRef parse(const std::string& text);
};

// N1: a tenant by id or by name; the default value names `default` (id 0).
struct TenantRef {
  Id id = 0;
  std::string name;

  TenantRef() = default;
  TenantRef(Id tenant_id) : id(tenant_id) {}
  TenantRef(std::string tenant_name) : name(std::move(tenant_name)) {}
  TenantRef(const char* tenant_name) : name(tenant_name) {}
  // An all-digit text names an id (tenant names never are); anything else a name.
  static TenantRef parse(const std::string& text);
};

// N1: an organisation sharing the server, and what it holds.
struct Tenant {
  Id id = 0;
  std::string name;
  Millis created = 0;
  std::uint32_t users = 0;  // active users, teams and projects
  std::uint32_t teams = 0;
  std::uint32_t projects = 0;
};

struct MemberFlags {
  bool view_datasets = false;
  bool view_code = false;
};

// A level in a category; `category` may be empty for a one-category schema.
struct Level {
  std::string category;
  std::string level;
};

struct ProjectAccess {
  std::vector<Level> levels;
  bool upload = false;
  bool download = false;
  // P9: when the access ends, in milliseconds since the epoch; 0 for
  // never. From that instant on it counts no more.
  Millis expires = 0;
};

struct Invitation {
  Id id = 0;
  TargetKind target_kind = TargetKind::team;
  Id target = 0;
  Id inviter = 0;
  Id invitee = 0;
  std::string invitee_email;
  MemberFlags team_flags;         // for a team
  Millis membership_expires = 0;  // for a team: when the membership ends (P9); 0 for never
  ProjectAccess project_access;   // for a project
  std::string message;
  Millis created = 0;
  Millis expires = 0;
  InvitationStatus status = InvitationStatus::pending;
  std::uint32_t reminders = 0;
  Millis reminded_at = 0;
  // For people, as they were when the invitation was made: the team's or
  // project's name, the inviter's username (empty for the service), the
  // invitee's username (empty while only an e-mail address).
  std::string target_name;
  std::string inviter_name;
  std::string invitee_name;
};

struct Notification {
  Id id = 0;
  NotificationKind kind = NotificationKind::invited;
  bool read = false;
  Millis time = 0;
  Id invitation = 0;
  Id subject = 0;
  Id actor = 0;
};

struct Inbox {
  std::uint32_t unread = 0;
  std::vector<Invitation> invitations;
  std::vector<Notification> notifications;
  Id next = 0;  // cursor of the next page, 0 when none
};

struct InboxQuery {
  std::optional<InvitationStatus> status;
  std::uint32_t limit = 50;
  Id after = 0;
};

struct TeamMember {
  Id user = 0;
  std::string username;
  TeamRole role = TeamRole::member;
  MemberFlags flags;
  Millis expires = 0;  // P9: when the membership ends; 0 for never
};

struct User {
  Id id = 0;
  std::string username;
  std::string email;
  std::string name;
  PlatformRole role = PlatformRole::standard;
  bool team_manager = false;
  bool removed = false;       // U4: removed from the platform, kept for audit
  Id tenant = 0;              // N1: 0 is `default`
  bool tenant_admin = false;  // N4: a platform admin's rights inside its tenant
};

struct TeamSummary {
  Id id = 0;
  std::string name;
  std::string icon;
  std::uint32_t members = 0;
};

// Changes to a team; fields left empty stay as they are.
struct TeamChanges {
  std::optional<std::string> name;
  std::optional<std::string> icon;
  std::optional<Admission> admission;
};

struct Team {
  Id id = 0;
  std::string name;
  std::string icon;
  Admission admission = Admission::invite;
  std::vector<TeamMember> members;
  std::vector<Invitation> invitations;
  Id tenant = 0;  // N1
};

struct Project {
  Id id = 0;
  std::string name;
  ProjectKind kind = ProjectKind::project;
  Id owner = 0;
  std::string schema;
  Policy policy = Policy::highest;
  Millis created = 0;
  Id tenant = 0;  // N1
};

// Listings come in pages, in id order. Pass a page's `next` as `after` to
// get the next one; `next` is 0 on the last page.
struct PageQuery {
  std::uint32_t limit = 100;  // 1 to 1,000
  Id after = 0;
};

struct ProjectPage {
  std::vector<Project> projects;
  Id next = 0;
};

struct UserPage {
  std::vector<Id> users;
  Id next = 0;
};

// Whom a grant names: a user, or a team.
struct GrantSubject {
  std::optional<UserRef> user;
  Id team = 0;

  static GrantSubject of_user(UserRef u) { return GrantSubject{std::move(u), 0}; }
  static GrantSubject of_team(Id t) { return GrantSubject{std::nullopt, t}; }
  bool is_team() const { return !user.has_value(); }
};

enum class CollaboratorKind { user = 0, team = 1, email = 2 };

// A grant (status accepted) or an invitation still pending or rejected.
struct Collaborator {
  CollaboratorKind kind = CollaboratorKind::user;
  Id subject = 0;  // 0 for an e-mail address
  std::string name;
  ProjectAccess access;
  InvitationStatus status = InvitationStatus::accepted;
  Id invitation = 0;
  bool guest = false;  // N3: a user of another tenant, a guest of this project
};

struct ActivityEvent {
  Millis time = 0;
  Id actor = 0;  // 0 for the service
  std::string what;
};

struct ExplainedGrant {
  bool team = false;
  Id subject = 0;
  ProjectAccess access;
  bool counted = false;
  std::string note;
};

// Why a user has the access they have on a project.
struct Explanation {
  ProjectAccess access;  // effective levels and flags
  Policy policy = Policy::highest;
  std::string basis;  // owner, platform_admin, grants or removed
  std::vector<ExplainedGrant> grants;
  std::vector<std::string> caps;
};

struct CheckTriple {
  UserRef user;
  Id project = 0;
  std::string action;
};

// One answer of a bulk check: allowed or not, or the error of that triple.
struct CheckOutcome {
  bool allowed = false;
  std::optional<ErrorCode> error;
};

// I8: several people to several teams and projects in one call.
struct InviteTarget {
  TargetKind kind = TargetKind::team;
  Id id = 0;
};

struct BulkInvitation {
  std::vector<InviteTarget> targets;  // 1 to 100
  std::vector<std::string> invitees;  // 1 to 1,000 usernames or e-mail addresses
  MemberFlags team_flags;             // offered to teams
  ProjectAccess access;               // offered to projects; its `expires` ends a membership too (P9)
  std::string message;
};

// One (target, invitee) pair: the invitation's id, or why it failed.
struct BulkInviteItem {
  InviteTarget target;
  std::string invitee;
  Id invitation = 0;
  std::optional<Error> error;
};

// C8: one change a watch delivers. `kind` says which of the fields below
// holds it; several changes share the revision of the group commit that
// made them durable.
enum class ChangeKind { user = 0, team, member, invitation, project, grant };

struct GrantChange {
  Id project = 0;
  bool to_team = false;
  Id subject = 0;  // the user or the team
  // One level per category of the project's schema, in its order, as the
  // level's position in the category (0 = no access).
  std::vector<std::uint8_t> levels;
  bool upload = false;
  bool download = false;
  Millis expires = 0;  // P9: when the grant ends; 0 for never
};

struct Change {
  std::uint64_t revision = 0;
  ChangeKind kind = ChangeKind::user;
  // The user was removed, the team or project deleted, the member is gone,
  // the grant revoked, the invitation's record gone.
  bool removed = false;
  User user;
  Team team;  // without members and invitations
  Id member_team = 0;
  TeamMember member;  // only `user` when removed
  Invitation invitation;
  Project project;
  GrantChange grant;
};

const char* to_string(PlatformRole);
const char* to_string(TeamRole);
const char* to_string(Admission);
const char* to_string(InvitationStatus);
const char* to_string(TargetKind);
const char* to_string(ProjectKind);
const char* to_string(Policy);
const char* to_string(NotificationKind);
const char* to_string(CollaboratorKind);
const char* to_string(ChangeKind);

}  // namespace roster
