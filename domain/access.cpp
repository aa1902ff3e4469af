#include "domain/access.hpp"

#include <algorithm>
#include <limits>

namespace roster::domain {
namespace {

void merge(effective_access& into, const grant& g) {
  if (into.levels.size() < g.levels.size()) into.levels.resize(g.levels.size(), 0);
  for (std::size_t c = 0; c < g.levels.size(); ++c) into.levels[c] = std::max(into.levels[c], g.levels[c]);
  into.upload = into.upload || g.upload;
  into.download = into.download || g.download;
}

// Before every instant: the merged entries hold every grant not yet removed.
constexpr millis any_time = std::numeric_limits<millis>::min();

// P4: the grants that count for `user` (not the owner, not an admin): their
// own, and — unless most_specific and they have their own — those of each
// granted team they belong to with the flag the project's kind needs. With
// `now`, only those in force then (P9: a grant or membership that ended is
// none, so an ended own grant lets the teams' count again); `visit` is told
// when each ends.
template <class Fn>
void for_each_grant_of(const project_grants& p, entity_id user, millis now, Fn&& visit) {
  auto lasts = [now](millis expires) { return in_force(expires, now); };
  auto direct = p.users().find(user);
  bool has_direct = direct != p.users().end() && lasts(direct->second.expires);
  if (has_direct) visit(direct->second, direct->second.expires);
  if (has_direct && p.policy() == resolution_policy::most_specific) return;
  for (const auto& [team, g] : p.teams()) {
    if (!lasts(g.expires)) continue;
    auto members = p.team_members().find(team);
    if (members == p.team_members().end()) continue;
    auto member = members->second.find(user);
    if (member == members->second.end() || !lasts(member->second.expires)) continue;
    if (team_grant_applies(p.kind(), member->second.flags)) visit(g, earlier_expiry(g.expires, member->second.expires));
  }
}

}  // namespace

bool team_grant_applies(project_kind kind, member_flags flags) {
  switch (kind) {
    case project_kind::dataset:
      return flags.view_datasets;
    case project_kind::code:
    case project_kind::notebook:
      return flags.view_code;
    default:
      return true;
  }
}

void merged_grant::add(const grant& g) {
  for (std::size_t c = 0; c < g.levels.size() && c < role_schema::max_categories; ++c) {
    auto shift = 4 * c;
    std::uint64_t mine = (bits_ >> shift) & 0xf;
    std::uint64_t theirs = g.levels[c] & 0xf;
    if (theirs > mine) bits_ = (bits_ & ~(std::uint64_t{0xf} << shift)) | (theirs << shift);
  }
  if (g.upload) bits_ |= upload_bit;
  if (g.download) bits_ |= download_bit;
}

void project_grants::configure(const role_schema* schema, project_kind kind, resolution_policy policy,
                               entity_id owner) {
  bool rules_changed = schema != schema_ || kind != kind_ || policy != policy_;
  schema_ = schema;
  kind_ = kind;
  policy_ = policy;
  owner_ = owner;
  if (!rules_changed) return;
  top_ = schema_ ? schema_->top_levels() : std::vector<std::uint8_t>{};
  read_only_caps_ = schema_ ? read_only_caps(*schema_) : std::vector<std::uint8_t>{};
  merge_all_again();
}

void project_grants::put_user(entity_id user, grant g) {
  users_[user] = std::move(g);
  merge_again(user);
}

bool project_grants::erase_user(entity_id user) {
  if (users_.erase(user) == 0) return false;
  merge_again(user);
  return true;
}

void project_grants::put_team(entity_id team, grant g) {
  teams_[team] = std::move(g);
  merge_members_again(team);
}

bool project_grants::erase_team(entity_id team) {
  bool granted = teams_.erase(team) > 0;
  auto members = team_members_.find(team);
  if (members == team_members_.end()) return granted;
  auto former = std::move(members->second);
  team_members_.erase(members);
  for (const auto& entry : former) merge_again(entry.first);
  return granted;
}

void project_grants::clear() {
  users_.clear();
  teams_.clear();
  team_members_.clear();
  merged_.clear();
  expiries_.clear();
}

void project_grants::put_members(entity_id team, member_map members) {
  auto& copy = team_members_[team];
  auto former = std::move(copy);
  copy = std::move(members);
  for (const auto& entry : former) merge_again(entry.first);
  merge_members_again(team);
}

void project_grants::put_member(entity_id team, entity_id user, member_copy member) {
  auto members = team_members_.find(team);
  if (members == team_members_.end()) return;
  members->second[user] = member;
  merge_again(user);
}

void project_grants::erase_member(entity_id team, entity_id user) {
  auto members = team_members_.find(team);
  if (members == team_members_.end() || members->second.erase(user) == 0) return;
  merge_again(user);
}

void project_grants::merge_again(entity_id user) {
  merged_grant merged;
  millis first_end = 0;
  for_each_grant_of(*this, user, any_time, [&](const grant& g, millis ends) {
    merged.add(g);
    first_end = earlier_expiry(first_end, ends);
  });
  // Kept even when it adds up to nothing: under most_specific an own grant
  // of no level hides the teams' grants, until it ends.
  if (first_end != 0) merged.mark_expiring();
  if (merged.empty())
    merged_.erase(user);
  else
    merged_[user] = merged;
  if (merged.expiring())
    expiries_[user] = first_end;
  else
    expiries_.erase(user);
}

merged_grant project_grants::merged_at(entity_id user, millis now) const {
  merged_grant merged;
  for_each_grant_of(*this, user, now, [&](const grant& g, millis) { merged.add(g); });
  return merged;
}

void project_grants::merge_members_again(entity_id team) {
  auto members = team_members_.find(team);
  if (members == team_members_.end()) return;
  for (const auto& entry : members->second) merge_again(entry.first);
}

void project_grants::merge_all_again() {
  merged_.clear();
  expiries_.clear();
  for (const auto& entry : users_) merge_again(entry.first);
  for (const auto& [team, members] : team_members_)
    for (const auto& entry : members) merge_again(entry.first);
}

std::vector<std::uint8_t> read_only_caps(const role_schema& schema) {
  std::vector<std::uint8_t> caps;
  for (const auto& category : schema.all()) {
    std::uint8_t cap = 0;
    for (std::size_t level = 1; level < category.actions.size() && cap == 0; ++level)
      for (const auto& action : category.actions[level])
        if (action.rfind("view_", 0) == 0) cap = static_cast<std::uint8_t>(level);
    // A category none of whose levels is for viewing (categories' bench)
    // stays closed to a read-only user (P4.4).
    caps.push_back(cap);
  }
  return caps;
}

effective_access resolve_access(const project_grants& p, entity_id user, user_standing fact, millis now) {
  effective_access access;
  if (!fact.exists || fact.removed) return access;
  if (user == p.owner() || fact.role == platform_role::admin) {
    access.levels = p.schema()->top_levels();
    access.upload = access.download = true;
  } else {
    for_each_grant_of(p, user, now, [&](const grant& g, millis) { merge(access, g); });
  }
  // P4.4 caps owners too: an owner made read-only later views, no more.
  if (fact.role == platform_role::read_only) {
    auto caps = read_only_caps(*p.schema());
    for (std::size_t c = 0; c < access.levels.size() && c < caps.size(); ++c)
      access.levels[c] = std::min(access.levels[c], caps[c]);
    access.upload = false;
  }
  return access;
}

bool allows_given(const project_grants& p, entity_id user, user_standing fact, const action_requirement& need,
                  merged_grant merged) {
  // The rules of resolve_access for one category and the two flags, from
  // the user's merged grant: this runs for every check.
  if (!fact.exists || fact.removed) return false;
  if (fact.role == platform_role::admin) {
    if (need.what != action_requirement::kind::level) return true;
    return p.top_level(need.category) >= need.level && need.level > 0;
  }
  bool read_only = fact.role == platform_role::read_only;
  bool owner = user == p.owner();
  switch (need.what) {
    case action_requirement::kind::upload:
      return (owner || merged.upload()) && !read_only;
    case action_requirement::kind::download:
      return owner || merged.download();
    default: {
      auto level = owner ? p.top_level(need.category) : merged.level(need.category);
      if (read_only) level = std::min(level, p.read_only_cap(need.category));
      return level >= need.level && need.level > 0;
    }
  }
}

}  // namespace roster::domain
