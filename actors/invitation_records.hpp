// Records that an invitation's owner (a team or a project) writes in the same
// transaction as the change that causes them, including the entries under the
// invitee's and inviter's inbox prefixes.
#pragma once

#include "actors/domain.hpp"
#include "actors/keys.hpp"
#include "actors/records.hpp"
#include "actors/runtime.hpp"
#include "actors/storage_port.hpp"

namespace roster::actors {

inline std::string invitation_key(const invitation& inv) {
  return inv.kind == target_kind::team ? keys::team_invitation(inv.target, inv.id)
                                       : keys::project_invitation(inv.target, inv.id);
}

// A new invitation: its record, where it lives, and the invitee's inbox entry.
inline void write_new_invitation(write_batch& batch, const invitation& inv) {
  batch.push_back({invitation_key(inv), records::encode(inv)});
  batch.push_back({keys::invitation_locator(inv.id), records::encode_locator(inv.kind, inv.target)});
  if (inv.invitee != no_entity)
    batch.push_back({keys::inbox_invitation(inv.invitee, inv.id), records::encode_locator(inv.kind, inv.target)});
}

inline void write_invitation(write_batch& batch, const invitation& inv) {
  batch.push_back({invitation_key(inv), records::encode(inv)});
}

inline notification make_notification(runtime& rt, notification_kind kind, entity_id subject,
                                      entity_id invitation_id, entity_id actor) {
  notification note;
  note.id = rt.allocate_id();
  note.kind = kind;
  note.time = rt.time.now();
  note.invitation = invitation_id;
  note.subject = subject;
  note.actor = actor;
  return note;
}

inline void write_notification(write_batch& batch, entity_id user, const notification& note) {
  batch.push_back({keys::inbox_notification(user, note.id), records::encode(note)});
}

}  // namespace roster::actors
