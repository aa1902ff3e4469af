// Messages about an invitation, handled by whichever actor owns it (the
// team or project it invites to, invitations/invitation_book.hpp).
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

// What is done to an invitation by id; routed to the invitation's owner.
enum class answer_kind : std::uint8_t { accept, reject, cancel, remind };

struct answer_invitation_cmd {
  entity_id invitation = no_entity;
  answer_kind answer = answer_kind::accept;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, answer_invitation_cmd& x) {
  return f(caf::meta::type_name("answer_invitation_cmd"), x.invitation, x.answer);
}

// directory -> the target of an invitation sent to an e-mail address (U5):
// `user` just signed up with that address; the invitation is theirs.
struct bind_invitee_msg {
  entity_id invitation = no_entity;
  entity_id user = no_entity;
  std::string email;
  // True: the invitation reached storage after the registration read the
  // waiting ones, so the target also puts it in the user's inbox and
  // notifies them (invitation_book::hand_over).
  bool hand_over = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bind_invitee_msg& x) {
  return f(caf::meta::type_name("bind_invitee_msg"), x.invitation, x.user, x.email, x.hand_over);
}

}  // namespace roster::actors
