// check_async: the checks a caller starts in one event-loop turn travel as
// one call — a plain check when alone, else one checkBulk per 10,000 — and
// each caller gets its own answer. One RPC per check costs more than the
// check itself (FIELD-NOTES "Cap'n Proto"); a backend that checks many
// things at once should not pay it each time.
#include "client_internals.hpp"

namespace roster {
using namespace detail;

namespace {

constexpr std::size_t max_checks_per_call = 10000;  // the schema's bulk limit

Error bulk_check_error(ErrorCode code) {
  return Error{code, "this check of a batch failed: " + std::string(to_string(code))};
}

}  // namespace

void Client::check_async(const UserRef& user, Id project, std::string_view action,
                         std::function<void(Result<bool>)> done) {
  impl_->queue_check(Impl::pending_check{user, project, std::string(action), std::move(done)});
}

void Client::Impl::queue_check(pending_check check) {
  started();
  pending_checks.push_back(std::move(check));
  if (pending_checks.size() > 1) return;
  // evalLater: after every event queued so far, so the checks that the
  // callbacks of one batch of replies start ride along. Not evalLast: KJ
  // runs evalLast events last-in first-out, so the connection's flush
  // (framed_stream, evalLast) would go first and the call would need a
  // second write.
  tasks.add(kj::evalLater([this]() { send_pending_checks(); }));
}

void Client::Impl::send_pending_checks() {
  auto batch = std::make_shared<std::vector<pending_check>>();
  batch->swap(pending_checks);
  auto fail_all = [this, batch](std::size_t begin, std::size_t end, const Error& error) {
    for (auto i = begin; i < end; ++i) {
      finished();
      (*batch)[i].done(error);
    }
  };

  if (batch->size() == 1) {
    auto& only = batch->front();
    auto request = service.checkRequest();
    request.setAtLeastRevision(read_revision);
    to_wire(only.user, request.initUser());
    request.setProject(only.project);
    request.setAction(only.action);
    call_async<bool>(
        *this, request, [](auto r) { return Result<bool>(r.getAllowed()); }, std::move(only.done));
    finished();  // call_async counted the call again: settle the queued count
    return;
  }

  for (std::size_t begin = 0; begin < batch->size(); begin += max_checks_per_call) {
    auto end = std::min(batch->size(), begin + max_checks_per_call);
    auto request = service.checkBulkRequest(check_bulk_size(batch->begin() + static_cast<std::ptrdiff_t>(begin),
                                                            batch->begin() + static_cast<std::ptrdiff_t>(end)));
    request.setAtLeastRevision(read_revision);
    auto list = request.initChecks(static_cast<unsigned>(end - begin));
    for (auto i = begin; i < end; ++i) {
      auto& c = (*batch)[i];
      to_wire(c.user, list[static_cast<unsigned>(i - begin)].initUser());
      list[static_cast<unsigned>(i - begin)].setProject(c.project);
      list[static_cast<unsigned>(i - begin)].setAction(c.action);
    }
    tasks.add(request.send().then(
        [this, batch, begin, end, fail_all](capnp::Response<wire::Service::CheckBulkResults>&& response) {
          auto result = response.getResult();
          if (result.isError()) return fail_all(begin, end, from_wire(result.getError()));
          auto outcomes = result.getOutcomes();
          if (outcomes.size() != end - begin)
            return fail_all(begin, end, Error{ErrorCode::unavailable, "the server answered a batch of checks partly"});
          for (auto i = begin; i < end; ++i) {
            auto o = outcomes[static_cast<unsigned>(i - begin)];
            finished();
            if (o.isError())
              (*batch)[i].done(bulk_check_error(static_cast<ErrorCode>(o.getError())));
            else
              (*batch)[i].done(o.getAllowed());
          }
        },
        [fail_all, begin, end](kj::Exception&& e) { fail_all(begin, end, broken(e)); }));
  }
}

}  // namespace roster
