#include "actors/access.hpp"

#include <algorithm>

namespace roster::actors {
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
  auto direct = p.users.find(user);
  bool direct_only = p.policy == resolution_policy::most_specific && direct != p.users.end();
  if (direct != p.users.end()) visit(direct->second);
  if (direct_only) return;
  for (const auto& [team, g] : p.teams) {
    auto members = p.team_members.find(team);
    if (members == p.team_members.end()) continue;
    auto member = members->second.find(user);
    if (member != members->second.end() && team_grant_applies(p.kind, member->second)) visit(g);
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

std::vector<std::uint8_t> read_only_caps(const role_schema& schema) {
  std::vector<std::uint8_t> caps;
  for (const auto& category : schema.all()) {
    std::uint8_t cap = 0;
    for (std::size_t level = 1; level < category.actions.size() && cap == 0; ++level)
      for (const auto& action : category.actions[level])
        if (action.rfind("view_", 0) == 0) cap = static_cast<std::uint8_t>(level);
    // A custom schema may name no view_ action: its lowest level, then.
    caps.push_back(cap == 0 && category.levels.size() > 1 ? 1 : cap);
  }
  return caps;
}

effective_access resolve_access(const project_grants& p, entity_id user, platform_facts::fact fact) {
  effective_access access;
  if (!fact.exists || fact.removed) return access;
  if (user == p.owner || fact.role == platform_role::admin) {
    access.levels = p.schema->top_levels();
    access.upload = access.download = true;
    return access;
  }
  for_each_grant_of(p, user, [&](const grant& g) { merge(access, g); });
  if (fact.role == platform_role::read_only) {
    auto caps = read_only_caps(*p.schema);
    for (std::size_t c = 0; c < access.levels.size() && c < caps.size(); ++c)
      access.levels[c] = std::min(access.levels[c], caps[c]);
    access.upload = false;
  }
  return access;
}

bool allows(const project_grants& p, entity_id user, platform_facts::fact fact,
            const action_requirement& need) {
  // The rules of resolve_access for one category and the two flags, with
  // nothing allocated: this runs for every check answered from the index.
  if (!fact.exists || fact.removed) return false;
  const bool levelled = need.what != action_requirement::kind::upload &&
                        need.what != action_requirement::kind::download;
  if (user == p.owner || fact.role == platform_role::admin) {
    if (!levelled) return true;
    auto top = p.schema->top_levels();
    return need.category < top.size() && top[need.category] >= need.level && need.level > 0;
  }
  std::uint8_t level = 0;
  bool upload = false, download = false;
  auto take = [&](const grant& g) {
    if (need.category < g.levels.size()) level = std::max(level, g.levels[need.category]);
    upload = upload || g.upload;
    download = download || g.download;
  };
  for_each_grant_of(p, user, take);
  if (fact.role == platform_role::read_only) {
    auto caps = read_only_caps(*p.schema);
    if (need.category < caps.size()) level = std::min(level, caps[need.category]);
    upload = false;
  }
  switch (need.what) {
    case action_requirement::kind::upload:
      return upload;
    case action_requirement::kind::download:
      return download;
    default:
      return level >= need.level && need.level > 0;
  }
}

}  // namespace roster::actors
