#include "actors/directory/user_removal.hpp"

#include <memory>
#include <set>
#include <string>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/messages.hpp"
#include "actors/support/runtime.hpp"
#include "actors/support/storage_port.hpp"

namespace roster::actors {
namespace {

// The ids under `prefix` (keys of the form prefix + id).
std::vector<entity_id> ids_under(storage_port& storage, const std::string& prefix) {
  std::vector<entity_id> ids;
  storage.scan(prefix, [&](std::string_view key, std::string_view) {
    if (key.size() == prefix.size() + 8) ids.push_back(keys::read_id(key.substr(prefix.size())));
  });
  return ids;
}

// The steps of removing `user` that storage shows now and `done` does not
// hold yet, as messages to the directory; each is added to `done`.
std::vector<caf::message> steps_of(storage_port& storage, entity_id user, std::set<std::string>* done) {
  std::vector<caf::message> steps;
  auto add = [&](std::string name, caf::message step) {
    if (done->insert(std::move(name)).second) steps.push_back(std::move(step));
  };
  for (auto team : ids_under(storage, keys::with_id('M', user) + "T"))
    add("T" + std::to_string(team), caf::make_message(member_gone_msg{team, user}));
  for (auto project : ids_under(storage, keys::with_id('A', user) + "P"))
    add("P" + std::to_string(project), caf::make_message(user_gone_msg{project, user}));
  // Pending invitations received and sent: cancelled by the service. One no
  // longer pending answers an invitation_* error, which is as good as done.
  // An invitation's target also drops the user, for it may have admitted
  // them by an acceptance that raced the removal's mark.
  auto received_prefix = keys::with_id('B', user) + "I";
  storage.scan(received_prefix, [&](std::string_view key, std::string_view locator) {
    if (key.size() != received_prefix.size() + 8) return;
    target_kind kind;
    entity_id target;
    records::decode_locator(locator, &kind, &target);
    if (kind == target_kind::team)
      add("T" + std::to_string(target), caf::make_message(member_gone_msg{target, user}));
    else
      add("P" + std::to_string(target), caf::make_message(user_gone_msg{target, user}));
  });
  auto received = ids_under(storage, received_prefix);
  auto sent = ids_under(storage, keys::with_id('S', user) + "I");
  for (const auto* list : {&received, &sent})
    for (auto inv : *list)
      add("I" + std::to_string(inv), caf::make_message(user_ref{}, answer_invitation_cmd{inv, answer_kind::cancel}));
  return steps;
}

// Runs every step; `done(ok)` once all answered, ok when none failed for
// want of storage or of an answer. Then storage is read again, for a change
// about the user that was under way when the removal's mark was published
// and became durable after the first reading (U4): its steps run too, until
// a reading finds nothing new.
void run_steps(caf::event_based_actor* self, runtime* rt, const caf::actor& directory, entity_id user,
               std::function<void(bool)> done, std::shared_ptr<std::set<std::string>> taken = nullptr) {
  if (!taken) taken = std::make_shared<std::set<std::string>>();
  auto steps = std::make_shared<std::vector<caf::message>>(steps_of(rt->storage, user, taken.get()));
  auto ok = std::make_shared<bool>(true);
  if (steps->empty()) {
    self->request(directory, internal_timeout, user, removal_done_msg{user})
        .then([done]() { done(true); }, [done](caf::error&) { done(false); });
    return;
  }
  await_all(
      self, steps->size(),
      [self, directory, steps, ok](std::size_t i, std::function<void()> answered) {
        self->request(directory, internal_timeout, (*steps)[i])
            .then([answered]() { answered(); },
                  [ok, answered](caf::error& e) {
                    if (to_failure(e).code == ErrorCode::unavailable) *ok = false;
                    answered();
                  });
      },
      [self, rt, directory, user, ok, done, taken]() {
        if (!*ok) return done(false);
        run_steps(self, rt, directory, user, done, taken);
      });
}

}  // namespace

caf::behavior user_removal(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id user,
                           bool resume) {
  if (resume) {
    run_steps(self, rt, directory, user, [self](bool) { self->quit(); });
    return {[](const removal_done_msg&) {}};  // it takes no requests
  }
  return {
      [=](entity_id acting, const user_remove_cmd&) -> caf::result<caf::message> {
        auto rp = self->make_response_promise();
        self->request(directory, internal_timeout, user, mark_removed_msg{user, acting})
            .then(
                [=]() mutable {
                  run_steps(self, rt, directory, user, [self, rp](bool ok) mutable {
                    if (ok)
                      rp.deliver(caf::unit);
                    else
                      rp.deliver(make_failure(ErrorCode::unavailable,
                                              "the user is removed; some steps failed and resume at the next start"));
                    self->quit();
                  });
                },
                [=](caf::error& e) mutable {
                  rp.deliver(std::move(e));
                  self->quit();
                });
        return rp;
      },
  };
}

}  // namespace roster::actors
