#include "actors/directory/bulk_invite.hpp"

#include <algorithm>
#include <memory>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/messages.hpp"

namespace roster::actors {
namespace {

// How many invitations are in flight at once: enough to fill a group
// commit, few enough not to flood the targets' mailboxes.
constexpr std::size_t window = 64;

struct bulk_state {
  bulk_invite_cmd cmd;
  bulk_invite_result result;
  std::size_t next = 0;
  std::size_t answered = 0;
};

void send_next(caf::event_based_actor* self, const caf::actor& directory, entity_id acting,
               std::shared_ptr<bulk_state> st, caf::response_promise rp) {
  while (st->next < st->result.results.size() && st->next - st->answered < window) {
    auto i = st->next++;
    auto& item = st->result.results[i];
    auto as = acting == no_entity ? user_ref{} : user_ref{acting, {}};
    auto message =
        item.target.kind == target_kind::team
            ? caf::make_message(as, team_invite_cmd{item.target.id, item.invitee, st->cmd.team_flags, st->cmd.message,
                                                    st->cmd.access.expires})
            : caf::make_message(as, project_invite_cmd{item.target.id, item.invitee, st->cmd.access, st->cmd.message});
    auto done = [self, directory, acting, st, rp]() mutable {
      if (++st->answered == st->result.results.size()) {
        rp.deliver(std::move(st->result));
        return self->quit();
      }
      send_next(self, directory, acting, st, rp);
    };
    self->request(directory, internal_timeout, std::move(message))
        .then(
            [st, i, done](entity_id id) mutable {
              st->result.results[i].invitation = id;
              done();
            },
            [st, i, done](caf::error& e) mutable {
              auto why = to_failure(e);
              auto& failed = st->result.results[i];
              failed.failed = true;
              failed.code = why.code;
              failed.message = std::move(why.message);
              done();
            });
  }
}

}  // namespace

caf::behavior bulk_invite(caf::event_based_actor* self, caf::actor directory, entity_id acting) {
  return {
      [=](const bulk_invite_cmd& cmd) -> caf::result<caf::message> {
        if (cmd.targets.empty() || cmd.invitees.empty() || cmd.targets.size() > max_bulk_targets ||
            cmd.invitees.size() > max_bulk_invitees) {
          self->quit();
          return make_failure(ErrorCode::invalid_argument, "1 to 100 targets and 1 to 1,000 invitees in one call");
        }
        auto st = std::make_shared<bulk_state>();
        st->cmd = cmd;
        for (const auto& target : cmd.targets)
          for (const auto& invitee : cmd.invitees)
            st->result.results.push_back({target, invitee, no_entity, false, {}, {}});
        auto rp = self->make_response_promise();
        send_next(self, directory, acting, st, rp);
        return rp;
      },
  };
}

}  // namespace roster::actors
