// The project's copies of its granted teams' members, as the teams change
// them (SPEC C5: a change is effective for checks once acknowledged).
#include "actors/project/project_state.hpp"

namespace roster::actors {
namespace {

void apply(project_state& st, const member_change_msg& change) {
  if (change.present)
    st.grants.put_member(change.team, change.member.user, member_copy{change.member.flags, change.member.expires});
  else
    st.grants.erase_member(change.team, change.member.user);
}

}  // namespace

void take_member_change(project_state& st, const member_change_msg& change) {
  // The team counted this change on the view before sending it; it is in
  // now, so the view's readiness is this actor's to say again.
  if (change.committed && st.view) st.view->member_change_arrived();
  auto waits = change.committed && change.committed->now() == commit_ticket::outcome::pending;
  if (!waits && st.member_changes_in_doubt.empty()) {
    if (!change.committed || change.committed->now() == commit_ticket::outcome::durable) apply(st, change);
    return;
  }
  st.member_changes_in_doubt.push_back(change);
  settle_member_changes(st);
}

void settle_member_changes(project_state& st) {
  auto& held = st.member_changes_in_doubt;
  std::size_t settled = 0;
  for (; settled < held.size(); ++settled) {
    const auto& change = held[settled];
    auto outcome = change.committed ? change.committed->now() : commit_ticket::outcome::durable;
    if (outcome == commit_ticket::outcome::pending) break;
    if (outcome == commit_ticket::outcome::durable) apply(st, change);
  }
  held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(settled));
}

}  // namespace roster::actors
