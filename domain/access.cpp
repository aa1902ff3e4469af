#include "domain/access.hpp"

#include <algorithm>

namespace roster::domain {
namespace {

void merge(effective_access& into, const grant& g) {
  if (into.levels.size() < g.levels.size()) into.levels.resize(g.levels.size(), 0);
  for (std::size_t c = 0; c < g.levels.size(); ++c) into.levels[c] = std::max(into.levels[c], g.levels[c]);
  into.upload = into.upload || g.upload;
  into.download = into.download || g.download;
}

// P4: the grants that count for `user` (not the owner, not an admin): their
// own, and — unless most_specific and they have their own — those of each
// granted team they belong to with the flag the project's kind needs.
template <class Fn>
void for_each_grant_of(const project_grants& p, entity_id user, Fn&& visit) {
  auto direct = p.users().find(user);
  bool direct_only = p.policy() == resolution_policy::most_specific && direct != p.users().end();
  if (direct != p.users().end()) visit(direct->second);
  if (direct_only) return;
  for (const auto& [team, g] : p.teams()) {
    auto members = p.team_members().find(team);
    if (members == p.team_members().end()) continue;
    auto member = members->second.find(user);
    if (member != members->second.end() && team_grant_applies(p.kind(), member->second)) visit(g);
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
  for (const auto& [user, flags] : former) merge_again(user);
  return granted;
}

void project_grants::clear() {
  users_.clear();
  teams_.clear();
  team_members_.clear();
  merged_.clear();
}

void project_grants::put_members(entity_id team, member_map members) {
  auto& copy = team_members_[team];
  auto former = std::move(copy);
  copy = std::move(members);
  for (const auto& [user, flags] : former) merge_again(user);
  merge_members_again(team);
}

void project_grants::put_member(entity_id team, entity_id user, member_flags flags) {
  auto members = team_members_.find(team);
  if (members == team_members_.end()) return;
  members->second[user] = flags;
  merge_again(user);
}

void project_grants::erase_member(entity_id team, entity_id user) {
  auto members = team_members_.find(team);
  if (members == team_members_.end() || members->second.erase(user) == 0) return;
  merge_again(user);
}

void project_grants::merge_again(entity_id user) {
  merged_grant merged;
  for_each_grant_of(*this, user, [&](const grant& g) { merged.add(g); });
  if (merged.empty())
    merged_.erase(user);
  else
    merged_[user] = merged;
}

void project_grants::merge_members_again(entity_id team) {
  auto members = team_members_.find(team);
  if (members == team_members_.end()) return;
  for (const auto& [user, flags] : members->second) merge_again(user);
}

void project_grants::merge_all_again() {
  merged_.clear();
  for (const auto& [user, g] : users_) merge_again(user);
  for (const auto& [team, members] : team_members_)
    for (const auto& [user, flags] : members) merge_again(user);
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

effective_access resolve_access(const project_grants& p, entity_id user, user_standing fact) {
  effective_access access;
  if (!fact.exists || fact.removed) return access;
  if (user == p.owner() || fact.role == platform_role::admin) {
    access.levels = p.schema()->top_levels();
    access.upload = access.download = true;
  } else {
    for_each_grant_of(p, user, [&](const grant& g) { merge(access, g); });
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

bool allows(const project_grants& p, entity_id user, user_standing fact, const action_requirement& need) {
  // The rules of resolve_access for one category and the two flags, from
  // the user's merged grant: this runs for every check.
  if (!fact.exists || fact.removed) return false;
  if (fact.role == platform_role::admin) {
    if (need.what != action_requirement::kind::level) return true;
    return p.top_level(need.category) >= need.level && need.level > 0;
  }
  bool read_only = fact.role == platform_role::read_only;
  bool owner = user == p.owner();
  auto merged = owner ? merged_grant{} : p.merged(user);
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
