@0xb4c570bf729fb7ca;
# Roster's wire contract and its stored records, in one place: recovery reads
# the same structs the RPC layer speaks, so there is no second format.
#
# Limits (enforced by the server; see README "Limits"): usernames 3-64 bytes,
# e-mails <= 254 bytes, team and project names 1-128 characters, icons <= 512
# bytes, messages <= 2048 bytes, actions <= 64 bytes, level lists <= 16 entries.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("roster::wire");

# Stable error codes. Append only; never renumber or rename (docs/clients.md,
# "Results and errors", lists them; docs/reference.md says when each is met).
enum ErrorCode {
  invalidArgument @0;
  notFound @1;
  alreadyExists @2;
  unauthenticated @3;
  permissionDenied @4;
  alreadyMember @5;
  alreadyInvited @6;
  immutablePermissions @7;
  managerCannotLeave @8;
  exceedsPlatformRole @9;
  ownsProjects @10;
  invitationNotPending @11;
  invitationCancelled @12;
  invitationExpired @13;
  tooSoon @14;
  overloaded @15;
  unavailable @16;
  userRemoved @17;
  revisionNotReached @18;
  revisionTooOld @19;
  tenantNotEmpty @20;
}

struct Error {
  code @0 :ErrorCode;
  message @1 :Text;
}

# ---------------------------------------------------------------- vocabulary

enum PlatformRole { standard @0; admin @1; readOnly @2; }
enum TeamRole { member @0; admin @1; manager @2; }
enum Admission { invite @0; direct @1; }
enum InvitationStatus { pending @0; accepted @1; rejected @2; cancelled @3; expired @4; }
enum TargetKind { team @0; project @1; }
enum ProjectKind { project @0; dataset @1; code @2; notebook @3; }
enum Policy { highest @0; mostSpecific @1; }
enum NotificationKind {
  invited @0;
  reminded @1;
  invitationCancelled @2;
  invitationAccepted @3;
  invitationRejected @4;
  addedToTeam @5;
  removedFromTeam @6;
  teamDeleted @7;
  roleChanged @8;
  ownershipReceived @9;
  accessEnded @10;             # P9: a grant or a membership expired
}

# A user named by server id or by username.
struct UserRef {
  union {
    id @0 :UInt64;
    name @1 :Text;
  }
}

# N1: a tenant by server id or by name (tenant names are never all digits).
# The tenant `default` is id 0, so a TenantRef left unset names it.
struct TenantRef {
  union {
    id @0 :UInt64;
    name @1 :Text;
  }
}

# N1: an organisation, with how many active users, teams and projects it holds.
struct Tenant {
  id @0 :UInt64;
  name @1 :Text;
  created @2 :Int64;
  users @3 :UInt32;
  teams @4 :UInt32;
  projects @5 :UInt32;
}

struct MemberFlags {
  viewDatasets @0 :Bool;
  viewCode @1 :Bool;
}

# One level per category. `category` may be empty for a one-category schema.
struct LevelSpec {
  category @0 :Text;
  level @1 :Text;
}

struct ProjectAccess {
  levels @0 :List(LevelSpec);
  upload @1 :Bool;
  download @2 :Bool;
  # P9: when the access ends, in milliseconds since the epoch; 0 for never.
  # From that instant on it counts no more.
  expires @3 :Int64;
}

struct Access {
  union {
    team @0 :MemberFlags;
    project @1 :ProjectAccess;
  }
}

# Times are milliseconds since the Unix epoch.
struct Invitation {
  id @0 :UInt64;
  targetKind @1 :TargetKind;
  target @2 :UInt64;
  inviter @3 :UInt64;
  invitee @4 :UInt64;          # 0 while the invitee is only an e-mail address
  inviteeEmail @5 :Text;
  access @6 :Access;
  message @7 :Text;
  created @8 :Int64;
  expires @9 :Int64;
  status @10 :InvitationStatus;
  reminders @11 :UInt32;
  remindedAt @12 :Int64;       # the last reminder, 0 if none (I7)
  # Names for people, as they were when the invitation was made: the team's
  # or project's name, the inviter's username (empty for the service) and
  # the invitee's username (empty while it is only an e-mail address).
  targetName @13 :Text;
  inviterName @14 :Text;
  inviteeName @15 :Text;
  # P9, a team invitation: when the membership it offers ends; 0 for never.
  # (A project invitation's access carries its own: access.project.expires.)
  membershipExpires @16 :Int64;
}

struct Notification {
  id @0 :UInt64;
  kind @1 :NotificationKind;
  read @2 :Bool;
  time @3 :Int64;
  invitation @4 :UInt64;       # 0 when the notification is about no invitation
  subject @5 :UInt64;          # the team or project it is about, 0 if none
  actor @6 :UInt64;            # who caused it, 0 if the service
}

struct Inbox {
  unread @0 :UInt32;
  invitations @1 :List(Invitation);
  notifications @2 :List(Notification);
  next @3 :UInt64;             # cursor for the next page; 0 when there is none
}

struct TeamMember {
  user @0 :UInt64;
  username @1 :Text;
  role @2 :TeamRole;
  flags @3 :MemberFlags;
  expires @4 :Int64;           # P9: when the membership ends; 0 for never
}

struct Team {
  id @0 :UInt64;
  name @1 :Text;
  icon @2 :Text;
  admission @3 :Admission;
  members @4 :List(TeamMember);
  invitations @5 :List(Invitation);   # only for the manager, admins and platform admins
  tenant @6 :UInt64;           # N1: fixed at creation, its creator's
}

struct User {
  id @0 :UInt64;
  username @1 :Text;
  email @2 :Text;
  name @3 :Text;
  role @4 :PlatformRole;
  teamManager @5 :Bool;
  removed @6 :Bool;            # U4: removed from the platform, kept for audit
  tenant @7 :UInt64;           # N1: fixed when the user is added; 0 is `default`
  tenantAdmin @8 :Bool;        # N4: a platform admin's rights inside its tenant
}

struct TeamSummary {
  id @0 :UInt64;
  name @1 :Text;
  icon @2 :Text;
  members @3 :UInt32;
}

struct Project {
  id @0 :UInt64;
  name @1 :Text;
  kind @2 :ProjectKind;
  owner @3 :UInt64;
  schema @4 :Text;
  policy @5 :Policy;
  created @6 :Int64;
  tenant @7 :UInt64;           # N1: fixed at creation, its owner's then
}

# A page of a listing; `next` is the cursor of the next page, 0 when none.
struct ProjectPage {
  projects @0 :List(Project);
  next @1 :UInt64;
}

struct UserPage {
  users @0 :List(UInt64);
  next @1 :UInt64;
}

# P2, P5: whom a grant names.
struct GrantSubject {
  union {
    user @0 :UserRef;
    team @1 :UInt64;
  }
}

struct Collaborator {
  kind @0 :Kind;
  subject @1 :UInt64;          # the user or team; 0 for an e-mail address
  name @2 :Text;               # username, team name or e-mail address
  access @3 :ProjectAccess;
  status @4 :InvitationStatus; # accepted for a grant
  invitation @5 :UInt64;       # 0 for a grant
  enum Kind { user @0; team @1; email @2; }
  guest @6 :Bool;              # N3: a user of another tenant, a guest of this project
}

struct ActivityEvent {
  time @0 :Int64;
  actor @1 :UInt64;            # 0 for the service
  what @2 :Text;
}

# C3
struct ExplainedGrant {
  team @0 :Bool;
  subject @1 :UInt64;
  access @2 :ProjectAccess;
  counted @3 :Bool;
  note @4 :Text;
}

struct Explanation {
  access @0 :ProjectAccess;    # the effective levels and flags
  policy @1 :Policy;
  basis @2 :Text;              # owner, platform_admin, grants or removed
  grants @3 :List(ExplainedGrant);
  caps @4 :List(Text);
}

# C2
struct CheckTriple {
  user @0 :UserRef;
  project @1 :UInt64;
  action @2 :Text;
}

struct CheckOutcome {
  union {
    allowed @0 :Bool;
    error @1 :ErrorCode;
  }
}

# I8
struct InviteTarget {
  kind @0 :TargetKind;
  id @1 :UInt64;
}

struct BulkInviteItem {
  target @0 :InviteTarget;
  invitee @1 :Text;            # as given
  union {
    invitation @2 :UInt64;
    error @3 :Error;
  }
}

# ---------------------------------------------------------------- results
# Expected failures are results, not exceptions.

# C7: `revision` is the server's revision when it answered. Every change
# acknowledged before, a write's own included, is visible at it: a read that
# passes it as `atLeastRevision` sees them.
struct VoidResult { union { ok @0 :Void; error @1 :Error; } revision @2 :UInt64; }
struct IdResult { union { id @0 :UInt64; error @1 :Error; } revision @2 :UInt64; }
struct CheckResult { union { allowed @0 :Bool; error @1 :Error; } }
struct InboxResult { union { inbox @0 :Inbox; error @1 :Error; } }
struct TeamResult { union { team @0 :Team; error @1 :Error; } }
struct UserResult { union { user @0 :User; error @1 :Error; } }
struct TeamListResult { union { teams @0 :List(TeamSummary); error @1 :Error; } }
struct ProjectResult { union { project @0 :Project; error @1 :Error; } }
struct ProjectPageResult { union { page @0 :ProjectPage; error @1 :Error; } }
struct UserPageResult { union { page @0 :UserPage; error @1 :Error; } }
struct CollaboratorsResult { union { collaborators @0 :List(Collaborator); error @1 :Error; } }
struct ActivityResult { union { events @0 :List(ActivityEvent); error @1 :Error; } }
struct ExplainResult { union { explanation @0 :Explanation; error @1 :Error; } }
struct BulkInviteResult { union { results @0 :List(BulkInviteItem); error @1 :Error; } revision @2 :UInt64; }
struct CheckBulkResult { union { outcomes @0 :List(CheckOutcome); error @1 :Error; } }
struct TenantListResult { union { tenants @0 :List(Tenant); error @1 :Error; } }

# C8: one change, as a watch delivers it. Several changes share the
# revision of the group commit that made them durable.
struct Change {
  revision @0 :UInt64;
  # The user was removed or the team or project deleted (the entity holds
  # its last state, or only its id), the member is gone (only `user` is
  # set), the grant was revoked (no levels), the invitation's record is gone.
  removed @1 :Bool;
  union {
    user @2 :User;
    team @3 :Team;               # without members and invitations
    member @4 :MemberChange;
    invitation @5 :Invitation;
    project @6 :Project;
    grant @7 :GrantChange;
  }
}

struct MemberChange {
  team @0 :UInt64;
  member @1 :TeamMember;
}

struct GrantChange {
  project @0 :UInt64;
  subject @1 :GrantSubject;      # a user by id, or a team
  # One level per category of the project's schema, in the schema's order,
  # as the level's position in its category (0 = no access).
  levels @2 :List(UInt8);
  upload @3 :Bool;
  download @4 :Bool;
  expires @5 :Int64;             # P9: when the grant ends; 0 for never
}

# ---------------------------------------------------------------- interfaces

# C8: what a client passes to `watch`. The next call comes once the previous
# one has returned: a watcher that returns slowly holds its feed back.
interface Watcher {
  changes @0 (changes :List(Change)) -> ();
}

interface Bootstrap {
  # On a wrong token `status` holds `unauthenticated` and every call on
  # `service` answers the same, so a pipelined caller learns it too.
  authenticate @0 (token :Text) -> (service :Service, status :VoidResult);
}

interface Service {
  ping @0 () -> (result :VoidResult);
  # A session bound to an acting user. Pipelinable: the user is resolved on
  # each call, so `actAs(u).check(...)` is one round trip.
  actAs @1 (user :UserRef) -> (session :Session);
  # A session with the service's own platform-admin rights.
  asService @2 () -> (session :Session);
  # N1: `tenant` unset adds the user to `default`.
  addUser @3 (username :Text, email :Text, displayName :Text, role :PlatformRole, tenant :TenantRef)
      -> (result :IdResult);
  # C7, on every read: `atLeastRevision` (0: any) is a revision a write
  # answered; the read answers from a state at least that new, or, when the
  # server has not reached it within its wait (--revision-wait-ms),
  # revisionNotReached.
  check @4 (user :UserRef, project :UInt64, action :Text, atLeastRevision :UInt64) -> (result :CheckResult);
  # C2: up to 10,000 triples; one outcome each, in order.
  checkBulk @5 (checks :List(CheckTriple), atLeastRevision :UInt64) -> (result :CheckBulkResult);
  # C3
  explain @6 (user :UserRef, project :UInt64, atLeastRevision :UInt64) -> (result :ExplainResult);
  # C4: the projects a user sees (or on which they may do `action`, when
  # not empty), and the users who may do `action` on a project. Id order;
  # `after` is a page's `next`; `limit` is 1 to 1,000.
  lookupProjects @7 (user :UserRef, action :Text, limit :UInt32, after :UInt64, atLeastRevision :UInt64)
      -> (result :ProjectPageResult);
  lookupUsers @8 (project :UInt64, action :Text, limit :UInt32, after :UInt64, atLeastRevision :UInt64)
      -> (result :UserPageResult);
  # An online, consistent copy of the data into `directory` on the server's
  # machine (absolute; new or empty), holding every change acknowledged
  # before the call; answers when the copy is complete. Admin tokens only.
  backup @9 (directory :Text) -> (result :VoidResult);
  # C8: calls `watcher` with every change after revision `after` (or after
  # the current one, when `fromNow`), in revision order, each once, from the
  # server's kept window of changes. Answers only when the watch ends:
  # revisionTooOld when the window does not (or no longer) reach back that
  # far, revisionNotReached for a revision ahead of the server. Cancel the
  # call to stop. Admin tokens only.
  watch @10 (after :UInt64, fromNow :Bool, watcher :Watcher) -> (result :VoidResult);
  # N1: tenants. Names follow the rules of team names and are never all
  # digits; they are unique, ignoring ASCII case. `default` (id 0) always
  # exists; a tenant is deleted only when it holds no active user, team or
  # project (tenantNotEmpty). Admin tokens only.
  createTenant @11 (tenantName :Text) -> (result :IdResult);
  renameTenant @12 (tenant :TenantRef, newName :Text) -> (result :VoidResult);
  listTenants @13 () -> (result :TenantListResult);
  deleteTenant @14 (tenant :TenantRef) -> (result :VoidResult);
}

interface Session {
  createTeam @0 (teamName :Text, icon :Text) -> (result :IdResult);
  # `expires` (P9): when the membership ends, in milliseconds since the
  # epoch; 0 for never. So for addToTeam.
  inviteToTeam @1 (team :UInt64, invitee :Text, flags :MemberFlags, message :Text,
                   expires :Int64) -> (result :IdResult);
  showTeam @2 (team :UInt64) -> (result :TeamResult);
  leaveTeam @3 (team :UInt64) -> (result :VoidResult);
  acceptInvitation @4 (invitation :UInt64) -> (result :VoidResult);
  rejectInvitation @5 (invitation :UInt64) -> (result :VoidResult);
  cancelInvitation @6 (invitation :UInt64) -> (result :VoidResult);
  inbox @7 (filterByStatus :Bool, status :InvitationStatus, limit :UInt32, after :UInt64) -> (result :InboxResult);
  createProject @8 (projectName :Text, kind :ProjectKind, schema :Text, policy :Policy) -> (result :IdResult);
  inviteToProject @9 (project :UInt64, invitee :Text, access :ProjectAccess, message :Text) -> (result :IdResult);
  grantTeam @10 (project :UInt64, team :UInt64, access :ProjectAccess) -> (result :VoidResult);
  listTeams @11 () -> (result :TeamListResult);
  # Fields whose set* flag is false stay as they are.
  setTeam @12 (team :UInt64, setName :Bool, newName :Text, setIcon :Bool, icon :Text,
               setAdmission :Bool, admission :Admission) -> (result :VoidResult);
  setTeamAdmin @13 (team :UInt64, user :UserRef, admin :Bool) -> (result :VoidResult);
  addToTeam @14 (team :UInt64, user :UserRef, flags :MemberFlags, expires :Int64) -> (result :VoidResult);
  removeFromTeam @15 (team :UInt64, user :UserRef) -> (result :VoidResult);
  transferTeam @16 (team :UInt64, user :UserRef) -> (result :VoidResult);
  deleteTeam @17 (team :UInt64) -> (result :VoidResult);
  # Always `immutablePermissions` for a member (T4): kept so that a client
  # that tries learns the rule from the server.
  setMemberFlags @18 (team :UInt64, user :UserRef, flags :MemberFlags) -> (result :VoidResult);
  # I7: a new notification, one more reminder, the expiry pushed out; at
  # most one an hour per invitation (`tooSoon`).
  remindInvitation @19 (invitation :UInt64) -> (result :VoidResult);
  # I9: marks one notification read, or all of them.
  markRead @20 (notification :UInt64, all :Bool) -> (result :VoidResult);
  showUser @21 (user :UserRef) -> (result :UserResult);
  # U2, U3, N4: admins of the platform or of the user's tenant (only a
  # platform admin makes a platform admin).
  setRole @22 (user :UserRef, role :PlatformRole) -> (result :VoidResult);
  setTeamManager @23 (user :UserRef, teamManager :Bool) -> (result :VoidResult);
  # P1: the projects the acting user sees, paged as lookupProjects.
  listProjects @24 (limit :UInt32, after :UInt64) -> (result :ProjectPageResult);
  showProject @25 (project :UInt64) -> (result :ProjectResult);
  # P5: the grant's levels change, its flags stay.
  setLevel @26 (project :UInt64, subject :GrantSubject, levels :List(LevelSpec)) -> (result :VoidResult);
  revoke @27 (project :UInt64, subject :GrantSubject) -> (result :VoidResult);
  # P6, P7
  transferProject @28 (project :UInt64, user :UserRef) -> (result :VoidResult);
  deleteProject @29 (project :UInt64) -> (result :VoidResult);
  # P2
  collaborators @30 (project :UInt64) -> (result :CollaboratorsResult);
  # P8: newest first; `limit` is 1 to 1,000.
  activity @31 (project :UInt64, limit :UInt32) -> (result :ActivityResult);
  # U4: platform admins only; `ownsProjects` while the user owns any.
  removeUser @32 (user :UserRef) -> (result :VoidResult);
  # I8: up to 1,000 invitees to up to 100 targets; one result per pair,
  # targets first, in the order given. Teams are offered `flags`, projects
  # `access`; `access.expires` (P9) ends either, a membership or a grant.
  inviteBulk @33 (targets :List(InviteTarget), invitees :List(Text), flags :MemberFlags,
                  access :ProjectAccess, message :Text) -> (result :BulkInviteResult);
  # U1: registers a user, with the acting user's rights (platform admins).
  addUser @34 (username :Text, email :Text, displayName :Text, role :PlatformRole, tenant :TenantRef)
      -> (result :IdResult);
  # N4: an admin of the platform or of the user's tenant; a read-only user
  # cannot be one (exceedsPlatformRole).
  setTenantAdmin @35 (user :UserRef, tenantAdmin :Bool) -> (result :VoidResult);
}

# ---------------------------------------------------------------- stored records
# Keys are described in storage/keys.hpp. Invitations and notifications are
# stored as the wire structs above.

struct UserRecord {
  id @0 :UInt64;
  username @1 :Text;
  email @2 :Text;
  name @3 :Text;
  role @4 :PlatformRole;
  teamManager @5 :Bool;
  removed @6 :Bool;
  created @7 :Int64;
  tenant @8 :UInt64;           # N1: 0 for `default` (so for every record written before tenants)
  tenantAdmin @9 :Bool;        # N4
}

struct TeamRecord {
  id @0 :UInt64;
  name @1 :Text;
  icon @2 :Text;
  admission @3 :Admission;
  created @4 :Int64;
  deleted @5 :Bool;            # T9: kept for audit, gone from listings
  memberCount @6 :UInt32;      # in the listing entry (L) only
  tenant @7 :UInt64;           # N1, in the record and the listing entry
}

struct MemberRecord {
  user @0 :UInt64;
  role @1 :TeamRole;
  flags @2 :MemberFlags;
  username @3 :Text;           # usernames never change: kept for listings
  expires @4 :Int64;           # P9: when the membership ends; 0 for never
}

struct ProjectRecord {
  id @0 :UInt64;
  name @1 :Text;
  kind @2 :ProjectKind;
  owner @3 :UInt64;
  schema @4 :Text;             # "simple" or "categories"
  policy @5 :Policy;
  created @6 :Int64;
  deleted @7 :Bool;            # P7: kept for audit and its activity log
  tenant @8 :UInt64;           # N1, in the record and the listing entry
}

# N1: a tenant (key N<tenant>); `default` has none.
struct TenantRecord {
  id @0 :UInt64;
  name @1 :Text;
  created @2 :Int64;
  deleted @3 :Bool;
}

# P8: one entry of a project's activity log.
struct ActivityRecord {
  time @0 :Int64;
  actor @1 :UInt64;            # 0 for the service
  what @2 :Text;
}

struct GrantRecord {
  subjectKind @0 :SubjectKind;
  subject @1 :UInt64;
  levels @2 :List(UInt8);      # one per category of the schema, 0 = no access
  upload @3 :Bool;
  download @4 :Bool;
  enum SubjectKind { user @0; team @1; }
  expires @5 :Int64;           # P9: when the grant ends; 0 for never
}

struct InvitationLocator {
  kind @0 :TargetKind;
  target @1 :UInt64;
}
