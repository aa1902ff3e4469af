#include "roster/types.hpp"

namespace roster {

const char* to_string(PlatformRole x) {
  switch (x) {
    case PlatformRole::admin:
      return "admin";
    case PlatformRole::read_only:
      return "read_only";
    default:
      return "standard";
  }
}

const char* to_string(TeamRole x) {
  switch (x) {
    case TeamRole::manager:
      return "manager";
    case TeamRole::admin:
      return "admin";
    default:
      return "member";
  }
}

const char* to_string(Admission x) { return x == Admission::direct ? "direct" : "invite"; }

const char* to_string(InvitationStatus x) {
  switch (x) {
    case InvitationStatus::accepted:
      return "accepted";
    case InvitationStatus::rejected:
      return "rejected";
    case InvitationStatus::cancelled:
      return "cancelled";
    case InvitationStatus::expired:
      return "expired";
    default:
      return "pending";
  }
}

const char* to_string(TargetKind x) { return x == TargetKind::project ? "project" : "team"; }

const char* to_string(ProjectKind x) {
  switch (x) {
    case ProjectKind::dataset:
      return "dataset";
    case ProjectKind::code:
      return "code";
    case ProjectKind::notebook:
      return "notebook";
    default:
      return "project";
  }
}

const char* to_string(Policy x) { return x == Policy::most_specific ? "most_specific" : "highest"; }

const char* to_string(NotificationKind x) {
  switch (x) {
    case NotificationKind::reminded:
      return "reminded";
    case NotificationKind::invitation_cancelled:
      return "invitation_cancelled";
    case NotificationKind::invitation_accepted:
      return "invitation_accepted";
    case NotificationKind::invitation_rejected:
      return "invitation_rejected";
    case NotificationKind::added_to_team:
      return "added_to_team";
    case NotificationKind::removed_from_team:
      return "removed_from_team";
    case NotificationKind::team_deleted:
      return "team_deleted";
    case NotificationKind::role_changed:
      return "role_changed";
    case NotificationKind::ownership_received:
      return "ownership_received";
    case NotificationKind::access_ended:
      return "access_ended";
    default:
      return "invited";
  }
}

const char* to_string(CollaboratorKind x) {
  switch (x) {
    case CollaboratorKind::team:
      return "team";
    case CollaboratorKind::email:
      return "email";
    default:
      return "user";
  }
}

const char* to_string(ChangeKind x) {
  switch (x) {
    case ChangeKind::team:
      return "team";
    case ChangeKind::member:
      return "member";
    case ChangeKind::invitation:
      return "invitation";
    case ChangeKind::project:
      return "project";
    case ChangeKind::grant:
      return "grant";
    default:
      return "user";
  }
}

}  // namespace roster
