// Client::watch (C8): the Watcher capability the client hands the server,
// and the wait for whichever comes first, the watch's end or the caller's
// wish to stop.
#include <exception>

#include "client_internals.hpp"

namespace roster {
using namespace detail;

namespace {

Change from_wire(wire::Change::Reader r) {
  Change change;
  change.revision = r.getRevision();
  change.removed = r.getRemoved();
  switch (r.which()) {
    case wire::Change::USER:
      change.kind = ChangeKind::user;
      change.user = detail::from_wire(r.getUser());
      break;
    case wire::Change::TEAM:
      change.kind = ChangeKind::team;
      change.team = detail::from_wire(r.getTeam());
      break;
    case wire::Change::MEMBER:
      change.kind = ChangeKind::member;
      change.member_team = r.getMember().getTeam();
      change.member = detail::from_wire(r.getMember().getMember());
      break;
    case wire::Change::INVITATION:
      change.kind = ChangeKind::invitation;
      change.invitation = detail::from_wire(r.getInvitation());
      break;
    case wire::Change::PROJECT:
      change.kind = ChangeKind::project;
      change.project = detail::from_wire(r.getProject());
      break;
    case wire::Change::GRANT: {
      change.kind = ChangeKind::grant;
      auto g = r.getGrant();
      change.grant.project = g.getProject();
      change.grant.to_team = g.getSubject().isTeam();
      change.grant.subject = change.grant.to_team ? g.getSubject().getTeam() : g.getSubject().getUser().getId();
      for (auto level : g.getLevels()) change.grant.levels.push_back(level);
      change.grant.upload = g.getUpload();
      change.grant.download = g.getDownload();
      change.grant.expires = g.getExpires();
      break;
    }
  }
  return change;
}

// What the watch and its Watcher share. The server may still call the
// Watcher after watch() returned (until it hears of the cancel): by then
// `active` is false and the calls do nothing.
struct watch_state {
  bool active = true;
  const std::function<bool(const std::vector<Change>&)>* on_changes;
  kj::Own<kj::PromiseFulfiller<void>> stop;
  std::exception_ptr thrown;  // by on_changes, rethrown by watch()
};

class change_receiver final : public wire::Watcher::Server {
 public:
  explicit change_receiver(std::shared_ptr<watch_state> state) : state_(std::move(state)) {}

  kj::Promise<void> changes(ChangesContext context) override {
    if (!state_->active) return kj::READY_NOW;
    std::vector<Change> changes;
    auto list = context.getParams().getChanges();
    changes.reserve(list.size());
    for (auto c : list) changes.push_back(from_wire(c));
    bool go_on = false;
    try {
      go_on = (*state_->on_changes)(changes);
    } catch (...) {
      state_->thrown = std::current_exception();
    }
    if (!go_on) {
      state_->active = false;
      state_->stop->fulfill();
    }
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<watch_state> state_;
};

}  // namespace

Result<void> Client::watch(std::optional<std::uint64_t> after,
                           const std::function<bool(const std::vector<Change>&)>& on_changes) {
  auto stop = kj::newPromiseAndFulfiller<void>();
  auto state = std::make_shared<watch_state>();
  state->on_changes = &on_changes;
  state->stop = kj::mv(stop.fulfiller);

  auto request = impl_->service.watchRequest();
  request.setAfter(after.value_or(0));
  request.setFromNow(!after.has_value());
  request.setWatcher(kj::heap<change_receiver>(state));
  auto ended = request.send().then([](capnp::Response<wire::Service::WatchResults>&& response) -> Result<void> {
    auto result = response.getResult();
    if (result.isError()) return from_wire(result.getError());
    return {};
  });
  // Dropping the call's promise, once the caller stops, cancels the watch
  // on the server.
  auto stopped = stop.promise.then([]() -> Result<void> { return {}; });
  Result<void> outcome;
  try {
    outcome = ended.exclusiveJoin(kj::mv(stopped)).wait(impl_->io.waitScope);
  } catch (const kj::Exception& e) {
    outcome = broken(e);
  }
  state->active = false;
  if (state->thrown) std::rethrow_exception(state->thrown);
  return outcome;
}

}  // namespace roster
