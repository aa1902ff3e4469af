#include "actors/user_removal.hpp"

#include <memory>

#include "actors/inbox_delivery.hpp"
#include "actors/keys.hpp"
#include "actors/messages.hpp"
#include "actors/runtime.hpp"

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

// Every step of removing `user`, as messages to the directory.
std::vector<caf::message> steps_of(storage_port& storage, entity_id user) {
  std::vector<caf::message> steps;
  for (auto team : ids_under(storage, keys::with_id('M', user) + "T"))
    steps.push_back(caf::make_message(member_gone_msg{team, user}));
  for (auto project : ids_under(storage, keys::with_id('A', user) + "P"))
    steps.push_back(caf::make_message(user_gone_msg{project, user}));
  // Pending invitations received and sent: cancelled by the service. One no
  // longer pending answers an invitation_* error, which is as good as done.
  auto received = ids_under(storage, keys::with_id('B', user) + "I");
  auto sent = ids_under(storage, keys::with_id('S', user) + "I");
  for (const auto* list : {&received, &sent})
    for (auto inv : *list)
      steps.push_back(caf::make_message(user_ref{}, answer_invitation_cmd{inv, answer_kind::cancel}));
  return steps;
}

// Runs every step; `done(ok)` once all answered, ok when none failed for
// want of storage or of an answer.
void run_steps(caf::event_based_actor* self, runtime* rt, const caf::actor& directory, entity_id user,
               std::function<void(bool)> done) {
  auto steps = std::make_shared<std::vector<caf::message>>(steps_of(rt->storage, user));
  auto ok = std::make_shared<bool>(true);
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
      [self, directory, user, ok, done]() {
        if (!*ok) return done(false);
        self->request(directory, internal_timeout, user, removal_done_msg{user})
            .then([done]() { done(true); }, [done](caf::error&) { done(false); });
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
