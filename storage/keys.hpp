// The key layout of stored records. Ids are big-endian so that an entity's
// records are contiguous and scan in id order under their prefix.
//
//   U<user>                     user profile          (owner: user actor)
//   n<username> / e<email>      unique indexes        (owner: directory)
//   T<team>                     team record           (owner: team actor)
//   T<team>M<user>              team member
//   T<team>I<invitation>        team invitation
//   T<team>P<project>           a project holding a copy of the members
//   L<team>                     the team's listing entry (T2), gone once deleted
//   P<project>                  project record        (owner: project actor)
//   P<project>G<u|t><subject>   grant to a user or a team
//   P<project>I<invitation>     project invitation
//   P<project>E<event>          activity log entry (P8), numbered per project
//   Q<project>                  the project's listing entry, gone once deleted
//   A<user>P<project>           the user owns or holds a direct grant on it
//                               (owner: the project; C4 lookups)
//   M<user>T<team>              the user is a member of the team
//                               (owner: the team; C4 lookups)
//   X<invitation>               where an invitation lives
//   B<user>I<invitation>        inbox entry: an invitation addressed to the user
//   B<user>N<notification>      inbox notification
//   S<user>I<invitation>        an invitation the user sent (owner: the target;
//                               U4 cancels those still pending)
//   W<email>\0<invitation>      an invitation waiting for that address to sign
//                               up (U5; owner: the target; taken over by the
//                               directory when the address registers)
//   R<user>                     a user removal still running its steps (U4)
//   D<team>                     a team deletion still revoking its grants (T9)
//   N<tenant>                   a tenant (N1; owner: directory); `default`
//                               has no record
//
// An owner may write entries under another entity's inbox prefix (B) in the
// same transaction as the change that causes them, so a crash never leaves an
// invitation without its inbox entry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/domain.hpp"

namespace roster::storage::keys {

inline void append_id(std::string& out, entity_id id) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((id >> shift) & 0xff));
}

inline entity_id read_id(std::string_view bytes) {
  entity_id id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | static_cast<unsigned char>(bytes[i]);
  return id;
}

inline std::string with_id(char tag, entity_id id) {
  std::string key(1, tag);
  append_id(key, id);
  return key;
}

inline std::string with_ids(char tag, entity_id a, char sub, entity_id b) {
  std::string key = with_id(tag, a);
  key.push_back(sub);
  append_id(key, b);
  return key;
}

inline std::string user(entity_id id) { return with_id('U', id); }
inline std::string username(std::string_view lowered) { return "n" + std::string(lowered); }
inline std::string email(std::string_view lowered) { return "e" + std::string(lowered); }

inline std::string team(entity_id id) { return with_id('T', id); }
inline std::string team_member(entity_id team, entity_id user) { return with_ids('T', team, 'M', user); }
inline std::string team_invitation(entity_id team, entity_id inv) { return with_ids('T', team, 'I', inv); }
inline std::string team_granting_project(entity_id team, entity_id project) {
  return with_ids('T', team, 'P', project);
}

inline std::string team_listing(entity_id team) { return with_id('L', team); }

inline std::string project(entity_id id) { return with_id('P', id); }
inline std::string project_user_grant(entity_id project, entity_id user) {
  return with_ids('P', project, 'G', user).insert(10, 1, 'u');
}
inline std::string project_team_grant(entity_id project, entity_id team) {
  return with_ids('P', project, 'G', team).insert(10, 1, 't');
}
inline std::string project_invitation(entity_id project, entity_id inv) { return with_ids('P', project, 'I', inv); }
// An invitation's record, under the team or project that owns it, and the
// prefix of all of that owner's invitation records.
inline std::string invitation(target_kind kind, entity_id target, entity_id inv) {
  return kind == target_kind::team ? team_invitation(target, inv) : project_invitation(target, inv);
}
inline std::string invitations_of(target_kind kind, entity_id target) {
  auto prefix = with_id(kind == target_kind::team ? 'T' : 'P', target);
  prefix.push_back('I');
  return prefix;
}

inline std::string project_event(entity_id project, entity_id event) { return with_ids('P', project, 'E', event); }
inline std::string project_listing(entity_id project) { return with_id('Q', project); }
inline std::string user_project(entity_id user, entity_id project) { return with_ids('A', user, 'P', project); }
inline std::string user_team(entity_id user, entity_id team) { return with_ids('M', user, 'T', team); }

inline std::string invitation_locator(entity_id inv) { return with_id('X', inv); }
inline std::string inbox_invitation(entity_id user, entity_id inv) { return with_ids('B', user, 'I', inv); }
inline std::string sent_invitation(entity_id user, entity_id inv) { return with_ids('S', user, 'I', inv); }
inline std::string waiting_prefix(std::string_view email) { return "W" + std::string(email) + '\0'; }
inline std::string waiting_invitation(std::string_view email, entity_id inv) {
  auto key = waiting_prefix(email);
  append_id(key, inv);
  return key;
}
inline std::string pending_team_deletion(entity_id team) { return with_id('D', team); }
inline std::string pending_removal(entity_id user) { return with_id('R', user); }
inline std::string inbox_notification(entity_id user, entity_id n) { return with_ids('B', user, 'N', n); }
inline std::string tenant(entity_id id) { return with_id('N', id); }

// Layout of keys under an entity prefix: tag(1) id(8) sub(1) ...
inline constexpr std::size_t sub_tag_offset = 9;
inline constexpr std::size_t sub_id_offset = 10;

}  // namespace roster::storage::keys
