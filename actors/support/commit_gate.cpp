#include "actors/support/commit_gate.hpp"

#include "actors/messages.hpp"

namespace roster::actors {

void commit_gate::persist(caf::local_actor* self, write_batch batch, entity_id high_id, release_fn in_writer) {
  auto seq = ++issued_;
  auto reply_to = caf::actor_cast<caf::actor>(self);
  if (notice_every_commit_) progress_->wants_notice.store(true);
  rt_->storage.submit(
      lineage_, std::move(batch), high_id,
      [reply_to, seq, progress = progress_, in_writer = std::move(in_writer)](std::optional<std::string> error) {
        if (error) {
          // The actor hears of the failure before the caller does: a caller
          // that calls again at once then finds the actor stopping (and
          // answering unavailable), never the failed change in its memory.
          failure why{ErrorCode::unavailable, "storage failed, nothing was changed: " + *error};
          caf::anon_send(reply_to, commit_failed_atom_v, seq, std::move(*error));
          if (in_writer) in_writer(&why);
          return;
        }
        // Published before the answer goes out: whoever hears of the change
        // and asks the actor finds it durable.
        progress->durable.store(seq);
        if (in_writer) in_writer(nullptr);
        if (progress->wants_notice.exchange(false)) caf::anon_send(reply_to, committed_atom_v, seq);
      });
}

void commit_gate::after_durable(release_fn release) {
  if (idle()) {
    release(nullptr);
    return;
  }
  waiting_.emplace_back(issued_, std::move(release));
  // Asked for before looking again: either the writer sees the wish and
  // sends word, or this look sees the commit durable (both sequentially
  // consistent), so a release never waits for a word that will not come.
  progress_->wants_notice.store(true);
  if (durable() >= issued_) release_durable();
}

void commit_gate::on_committed() { release_durable(); }

void commit_gate::release_durable() {
  for (;;) {
    auto through = durable();
    while (!waiting_.empty() && waiting_.front().first <= through) {
      auto release = std::move(waiting_.front().second);
      waiting_.pop_front();
      release(nullptr);
    }
    if (waiting_.empty() && !notice_every_commit_) return;
    progress_->wants_notice.store(true);
    if (durable() == through) return;
  }
}

void commit_gate::on_failed(std::uint64_t seq, const std::string& why) {
  // Every batch issued so far was on the failed lineage and fails too: their
  // reports change nothing more.
  if (seq <= failed_through_) return;
  failed_through_ = issued_;
  lineage_ = std::make_shared<write_lineage>();
  failure error{ErrorCode::unavailable, "storage failed, nothing was changed: " + why};
  settled_ = issued_;
  while (!waiting_.empty()) {
    auto release = std::move(waiting_.front().second);
    waiting_.pop_front();
    release(&error);
  }
}

}  // namespace roster::actors
