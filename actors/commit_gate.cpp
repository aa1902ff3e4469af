#include "actors/commit_gate.hpp"

#include "actors/messages.hpp"

namespace roster::actors {

void commit_gate::persist(caf::local_actor* self, write_batch batch, entity_id high_id) {
  auto seq = ++issued_;
  auto reply_to = caf::actor_cast<caf::actor>(self);
  rt_->storage.submit(lineage_, std::move(batch), high_id, [reply_to, seq](std::optional<std::string> error) {
    if (error)
      caf::anon_send(reply_to, commit_failed_atom_v, seq, std::move(*error));
    else
      caf::anon_send(reply_to, committed_atom_v, seq);
  });
}

void commit_gate::after_durable(release_fn release) {
  if (idle()) {
    release(nullptr);
    return;
  }
  waiting_.emplace_back(issued_, std::move(release));
}

void commit_gate::on_committed(std::uint64_t seq) {
  durable_ = seq;
  while (!waiting_.empty() && waiting_.front().first <= durable_) {
    auto release = std::move(waiting_.front().second);
    waiting_.pop_front();
    release(nullptr);
  }
}

void commit_gate::on_failed(std::uint64_t seq, const std::string& why) {
  // Every batch issued so far was on the failed lineage and fails too: their
  // reports change nothing more.
  if (seq <= failed_through_) return;
  failed_through_ = issued_;
  lineage_ = std::make_shared<write_lineage>();
  failure error{ErrorCode::unavailable, "storage failed, nothing was changed: " + why};
  durable_ = issued_;
  while (!waiting_.empty()) {
    auto release = std::move(waiting_.front().second);
    waiting_.pop_front();
    release(&error);
  }
}

}  // namespace roster::actors
