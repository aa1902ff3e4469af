#include "actors/invitations/invitation_book.hpp"

#include <algorithm>

#include "actors/support/lookup.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

std::string record_key(const invitation& inv) { return keys::invitation(inv.kind, inv.target, inv.id); }

void notify(runtime& rt, change_effects& fx, const invitation& inv, entity_id user, notification_kind kind,
            entity_id acting) {
  add_notification(rt, fx, user, kind, inv.target, inv.id, acting);
}

}  // namespace

void add_notification(runtime& rt, change_effects& fx, entity_id user, notification_kind kind, entity_id subject,
                      entity_id invitation_id, entity_id acting) {
  if (user == no_entity) return;  // the service has no inbox
  notification note;
  note.id = rt.allocate_id();
  note.kind = kind;
  note.time = rt.time.now();
  note.invitation = invitation_id;
  note.subject = subject;
  note.actor = acting;
  fx.batch.push_back({keys::inbox_notification(user, note.id), records::encode(note)});
  fx.high_id = std::max(fx.high_id, note.id);
  for (auto& delivery : fx.deliveries)
    if (delivery.user == user) {
      delivery.update.notifications.push_back(note);
      return;
    }
  fx.deliveries.push_back({user, {{}, {note}, {}}});
}

void merge(change_effects& fx, change_effects more) {
  for (auto& record : more.batch) fx.batch.push_back(std::move(record));
  for (auto& delivery : more.deliveries) fx.deliveries.push_back(std::move(delivery));
  fx.high_id = std::max(fx.high_id, more.high_id);
}

std::optional<failure> invitation_book::remind(runtime& rt, invitation& inv, entity_id acting, change_effects* fx) {
  constexpr millis an_hour = 3600 * 1000;
  auto now = rt.time.now();
  // The invitation itself is no reminder: only a reminder starts the hour.
  auto last = inv.reminded_at;
  if (inv.reminders > 0 && now - last < an_hour)
    return failure{ErrorCode::too_soon, "at most one reminder an hour: the last was " +
                                            std::to_string((now - last) / 60000) + " minutes ago"};
  inv.reminders += 1;
  inv.reminded_at = now;
  inv.expires = now + rt.config.invitation_ttl;
  fx->high_id = std::max(fx->high_id, inv.id);
  fx->batch.push_back({record_key(inv), records::encode(inv)});
  if (inv.invitee != no_entity) fx->deliveries.push_back({inv.invitee, {{inv}, {}, {}}});
  notify(rt, *fx, inv, inv.invitee, notification_kind::reminded, acting);
  return std::nullopt;
}

void invitation_book::cancel_pending(runtime& rt, change_effects& fx, entity_id acting, entity_id invitee) {
  auto now = rt.time.now();
  auto cancel_if_pending = [&](invitation& inv) {
    if (inv.status_at(now) == invitation_status::pending) merge(fx, answer(rt, inv, answer_kind::cancel, acting));
  };
  if (invitee == no_entity) {
    for (auto& [id, inv] : by_id_) cancel_if_pending(inv);
    return;
  }
  // In id order, as the whole-book walk does, so the writes are the same.
  std::vector<entity_id> ids;
  auto [first, last] = by_invitee_.equal_range(invitee);
  for (auto it = first; it != last; ++it) ids.push_back(it->second);
  std::sort(ids.begin(), ids.end());
  for (auto id : ids) {
    auto& inv = by_id_.at(id);
    if (inv.invitee == invitee) cancel_if_pending(inv);
  }
}

void invitation_book::belongs_to(target_kind kind, entity_id target) {
  kind_ = kind;
  target_ = target;
}

void invitation_book::add_loaded(invitation inv, millis now) {
  if (inv.status_at(now) != invitation_status::pending) return;  // settled: stays in storage
  auto [it, added] = by_id_.emplace(inv.id, std::move(inv));
  if (added) index(it->second);
}

void invitation_book::index(const invitation& inv) {
  if (inv.invitee != no_entity) by_invitee_.emplace(inv.invitee, inv.id);
  if (!inv.invitee_email.empty()) by_address_.emplace(inv.invitee_email, inv.id);
}

invitation* invitation_book::find(runtime& rt, entity_id id) {
  auto it = by_id_.find(id);
  if (it != by_id_.end()) return &it->second;
  if (target_ == no_entity) return nullptr;
  // Not in memory: settled before this activation, or not this target's.
  auto record = rt.storage.get(keys::invitation(kind_, target_, id));
  if (!record) return nullptr;
  it = by_id_.emplace(id, records::decode_invitation(*record)).first;
  index(it->second);
  return &it->second;
}

std::map<entity_id, invitation> invitation_book::all(runtime& rt) const {
  auto every = by_id_;  // memory is newer than storage for what it holds
  if (target_ == no_entity) return every;
  rt.storage.scan(keys::invitations_of(kind_, target_), [&](std::string_view key, std::string_view value) {
    auto id = keys::read_id(key.substr(keys::sub_id_offset));
    if (every.find(id) == every.end()) every.emplace(id, records::decode_invitation(value));
  });
  return every;
}

caf::expected<invitee_target> resolve_invitee(runtime& rt, const std::string& text) {
  if (auto user = find_user(rt.storage, text)) {
    auto admitted = rt.admit_change_about(*user);
    auto profile = load_user(rt.storage, *user);
    if (!admitted.fact.exists || !profile) return make_failure(ErrorCode::not_found, "no user '" + text + "'");
    if (admitted.fact.removed)
      return make_failure(ErrorCode::user_removed, "'" + text + "' was removed from the platform");
    return invitee_target{*user,           profile->email,         profile->username,
                          profile->tenant, looks_like_email(text), std::move(admitted.in_flight)};
  }
  if (!looks_like_email(text)) return make_failure(ErrorCode::not_found, "no user '" + text + "'");
  auto email = normalize_email(text);
  if (auto bad = check_email(email)) return to_error(*bad);
  return invitee_target{no_entity, email, {}, default_tenant, true, {}};
}

bool invitation_book::has_pending(const invitee_target& invitee, millis now) const {
  auto pending = [now](const invitation& inv) { return inv.status_at(now) == invitation_status::pending; };
  if (invitee.user != no_entity) {
    auto [first, last] = by_invitee_.equal_range(invitee.user);
    for (auto it = first; it != last; ++it) {
      const auto& inv = by_id_.at(it->second);
      if (inv.invitee == invitee.user && pending(inv)) return true;
    }
  }
  if (!invitee.email.empty()) {
    auto [first, last] = by_address_.equal_range(invitee.email);
    for (auto it = first; it != last; ++it) {
      const auto& inv = by_id_.at(it->second);
      if (inv.invitee == no_entity && inv.invitee_email == invitee.email && pending(inv)) return true;
    }
  }
  return false;
}

change_effects invitation_book::bind(runtime& rt, entity_id invitation_id, entity_id user, const std::string& email) {
  change_effects fx;
  auto* inv = find(rt, invitation_id);
  if (!inv || inv->invitee != no_entity || inv->invitee_email != email) return fx;
  inv->invitee = user;
  if (auto profile = load_user(rt.storage, user)) inv->invitee_name = profile->username;
  by_invitee_.emplace(user, invitation_id);
  fx.batch.push_back({record_key(*inv), records::encode(*inv)});
  return fx;
}

change_effects invitation_book::hand_over(runtime& rt, entity_id invitation_id, entity_id user,
                                          const std::string& email) {
  auto fx = bind(rt, invitation_id, user, email);
  if (fx.batch.empty()) return fx;
  const auto& inv = *find(rt, invitation_id);
  // Gone from the waiting list: the registration took it into the inbox in
  // its own write (and notified), which is durable since the address is
  // taken; what is left is to bind it.
  if (!rt.storage.get(keys::waiting_invitation(email, inv.id))) return fx;
  fx.batch.push_back({keys::waiting_invitation(email, inv.id), std::nullopt});
  fx.batch.push_back({keys::inbox_invitation(user, inv.id), records::encode_locator(inv.kind, inv.target)});
  fx.deliveries.push_back({user, {{inv}, {}, {}}});
  notify(rt, fx, inv, user, notification_kind::invited, inv.inviter);
  return fx;
}

before_reply hand_over_if_registered(caf::event_based_actor* self, runtime& rt, entity_id invitation,
                                     std::string email) {
  return [self, &rt, invitation, email](std::function<void()> next, std::function<void(caf::error)>) {
    auto user = find_user(rt.storage, email);
    if (!user) return next();
    // Handed over before the inviter hears back, so that once both the
    // invitation and the registration are answered, the new user's inbox
    // shows it. Should the hand-over fail, the invitation stands, and the
    // next start hands it over (hand_over_waiting).
    self->request(caf::actor_cast<caf::actor>(self), internal_timeout, bind_invitee_msg{invitation, *user, email, true})
        .then([next]() { next(); }, [next](caf::error&) { next(); });
  };
}

change_effects invitation_book::bind_or_hand_over(runtime& rt, const bind_invitee_msg& msg) {
  return msg.hand_over ? hand_over(rt, msg.invitation, msg.user, msg.email)
                       : bind(rt, msg.invitation, msg.user, msg.email);
}

void invitation_book::bind_if_addressed_to(runtime& rt, invitation& inv, entity_id acting) {
  if (inv.invitee != no_entity || acting == no_entity) return;
  auto profile = load_user(rt.storage, acting);
  if (profile && profile->email == inv.invitee_email) {
    inv.invitee = acting;
    inv.invitee_name = profile->username;
    by_invitee_.emplace(acting, inv.id);
  }
}

change_effects invitation_book::open(runtime& rt, invitation& offer) {
  offer.id = rt.allocate_id();
  offer.created = rt.time.now();
  // The target names the inviter when it knows them (a team its members);
  // otherwise their profile is read.
  if (offer.inviter != no_entity && offer.inviter_name.empty())
    if (auto inviter = load_user(rt.storage, offer.inviter)) offer.inviter_name = inviter->username;
  offer.expires = offer.created + rt.config.invitation_ttl;
  offer.status = invitation_status::pending;
  offer.reminders = 0;
  index(by_id_.emplace(offer.id, offer).first->second);

  change_effects fx;
  fx.high_id = offer.id;
  auto locator = records::encode_locator(offer.kind, offer.target);
  fx.batch.push_back({record_key(offer), records::encode(offer)});
  fx.batch.push_back({keys::invitation_locator(offer.id), locator});
  if (offer.inviter != no_entity) fx.batch.push_back({keys::sent_invitation(offer.inviter, offer.id), locator});
  if (offer.invitee == no_entity) {
    // U5: waits for the address to sign up; the directory then hands it over.
    fx.batch.push_back({keys::waiting_invitation(offer.invitee_email, offer.id), locator});
    return fx;
  }
  fx.batch.push_back({keys::inbox_invitation(offer.invitee, offer.id), locator});
  fx.deliveries.push_back({offer.invitee, {{offer}, {}, {}}});
  notify(rt, fx, offer, offer.invitee, notification_kind::invited, offer.inviter);
  return fx;
}

std::optional<failure> invitation_book::refuse_answer(const invitation& inv, entity_id acting, answer_kind answer,
                                                      bool manages, const std::string& managers) {
  if (acting != inv.invitee && !manages) return failure{ErrorCode::not_found, "no such invitation"};
  if (answer == answer_kind::cancel || answer == answer_kind::remind) {
    if (!manages) return failure{ErrorCode::permission_denied, "only the inviter or " + managers + " cancel or remind"};
  } else if (acting != inv.invitee) {
    return failure{ErrorCode::permission_denied, "only the invitee accepts or rejects an invitation"};
  }
  return std::nullopt;
}

std::optional<failure> invitation_book::not_answerable(const invitation& inv, millis now) {
  switch (inv.status_at(now)) {
    case invitation_status::pending:
      return std::nullopt;
    case invitation_status::cancelled:
      return failure{ErrorCode::invitation_cancelled, "the invitation was cancelled"};
    case invitation_status::expired:
      return failure{ErrorCode::invitation_expired, "the invitation has expired"};
    default:
      return failure{ErrorCode::invitation_not_pending, "the invitation was already answered"};
  }
}

change_effects invitation_book::answer(runtime& rt, invitation& inv, answer_kind answer, entity_id acting) {
  change_effects fx;
  fx.high_id = inv.id;
  switch (answer) {
    case answer_kind::accept:
      inv.status = invitation_status::accepted;
      notify(rt, fx, inv, inv.inviter, notification_kind::invitation_accepted, acting);
      break;
    case answer_kind::reject:
      inv.status = invitation_status::rejected;
      notify(rt, fx, inv, inv.inviter, notification_kind::invitation_rejected, acting);
      break;
    case answer_kind::cancel:
      inv.status = invitation_status::cancelled;
      notify(rt, fx, inv, inv.invitee, notification_kind::invitation_cancelled, acting);
      break;
    case answer_kind::remind:  // not a status change: owners call remind()
      break;
  }
  fx.batch.push_back({record_key(inv), records::encode(inv)});
  if (inv.invitee != no_entity)
    fx.deliveries.push_back({inv.invitee, {{inv}, {}, {}}});
  else  // U5: settled before the address signed up, it waits no more
    fx.batch.push_back({keys::waiting_invitation(inv.invitee_email, inv.id), std::nullopt});
  return fx;
}

}  // namespace roster::actors
