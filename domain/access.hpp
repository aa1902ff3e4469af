// Effective access of a user on a project (SPEC P4), as a pure function of
// the project's grants and the user's platform facts.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <vector>

#include "domain/role_schema.hpp"
#include "domain/types.hpp"

namespace roster::domain {

// What a user's own grant and their teams' grants on one project add up to
// under the project's policy (P4.2, P4.3), before the owner, platform-admin
// and read-only rules: a level per category and the two flags, in one word.
class merged_grant {
 public:
  merged_grant() = default;

  std::uint8_t level(std::size_t category) const {
    return category < role_schema::max_categories ? static_cast<std::uint8_t>((bits_ >> (4 * category)) & 0xf) : 0;
  }
  bool upload() const { return (bits_ & upload_bit) != 0; }
  bool download() const { return (bits_ & download_bit) != 0; }
  bool empty() const { return bits_ == 0; }
  // P9: something merged here ends at some instant (project_grants knows
  // the first): from then on the entry says too much.
  bool expiring() const { return (bits_ & expiring_bit) != 0; }

  // The highest of each level and either flag (P4.3 "highest").
  void add(const grant& g);
  void mark_expiring() { bits_ |= expiring_bit; }

 private:
  // Four bits a category: a schema has at most 8 categories of at most 9
  // levels counting no_access (role_schema's limits).
  static constexpr std::uint64_t upload_bit = std::uint64_t{1} << 32;
  static constexpr std::uint64_t download_bit = std::uint64_t{1} << 33;
  static constexpr std::uint64_t expiring_bit = std::uint64_t{1} << 34;
  std::uint64_t bits_ = 0;
};

// A granted team's member, as a project's copy of the team holds them: the
// flags that decide whether the team's grant counts for them (P4.2), and
// when their membership ends (P9; 0 for never).
struct member_copy {
  member_flags flags;
  millis expires = 0;
};

// The grants of one project, and each user's merged grant derived from them
// as they change, so that a check (C1) reads one entry instead of walking
// the project's grants and every granted team's members. The merged entries
// are kept exact on every change: a user's entry is merged again when their
// own grant or their membership of a granted team changes, a team's members'
// entries when its grant does, every entry when the policy or kind does.
//
// P9: a grant or a membership that ends at an instant stays merged until it
// is removed, and marks the entry expiring, with the first instant any of
// its parts ends. From that instant a check merges the parts still in force
// instead (merged_at): access ends exactly then, whenever the project gets
// to removing what expired.
//
// What a check reads — the owner and the merged table's header — comes
// first, on one cache line.
class alignas(64) project_grants {
 public:
  using member_map = absl::flat_hash_map<entity_id, member_copy>;

  // ---- the project's rules
  void configure(const role_schema* schema, project_kind kind, resolution_policy policy, entity_id owner);
  void set_owner(entity_id owner) { owner_ = owner; }

  // ---- grants
  void put_user(entity_id user, grant g);
  bool erase_user(entity_id user);
  void put_team(entity_id team, grant g);
  // The team's grant and the copy of its members.
  bool erase_team(entity_id team);
  // Every grant and member copy; the rules stay.
  void clear();

  // ---- copies of granted teams' members, kept current by the teams
  void put_members(entity_id team, member_map members);
  // Ignored for a team this project holds no copy of.
  void put_member(entity_id team, entity_id user, member_copy member);
  void erase_member(entity_id team, entity_id user);

  const role_schema* schema() const { return schema_; }
  project_kind kind() const { return kind_; }
  resolution_policy policy() const { return policy_; }
  entity_id owner() const { return owner_; }
  const absl::flat_hash_map<entity_id, grant>& users() const { return users_; }
  const absl::flat_hash_map<entity_id, grant>& teams() const { return teams_; }
  const absl::flat_hash_map<entity_id, member_map>& team_members() const { return team_members_; }

  // Starts loading what a check reads here, without waiting.
  void prefetch() const { __builtin_prefetch(this); }
  // Starts loading where `user`'s merged entry is, once this object's first
  // line (the table's header) has arrived.
  void prefetch_merged(entity_id user) const { merged_.prefetch(user); }

  merged_grant merged(entity_id user) const {
    auto it = merged_.find(user);
    return it == merged_.end() ? merged_grant{} : it->second;
  }
  // P9: for an expiring entry, the first instant one of its parts ends.
  millis first_expiry(entity_id user) const {
    auto it = expiries_.find(user);
    return it == expiries_.end() ? 0 : it->second;
  }
  // What the user's grants in force at `now` add up to (allocates nothing).
  merged_grant merged_at(entity_id user, millis now) const;
  // What a check reads: the merged entry, or, once one of its parts has
  // ended, what is still in force. `now()` is asked only then.
  template <class Now>
  merged_grant merged_now(entity_id user, Now&& now) const {
    auto merged = this->merged(user);
    if (!merged.expiring()) return merged;
    auto at = now();
    return at < first_expiry(user) ? merged : merged_at(user, at);
  }
  // Per category, computed once from the schema: what the owner and admins
  // hold, and the most a read-only user may (U2/P4.4).
  std::uint8_t top_level(std::size_t category) const { return category < top_.size() ? top_[category] : 0; }
  std::uint8_t read_only_cap(std::size_t category) const {
    return category < read_only_caps_.size() ? read_only_caps_[category] : 0;
  }

 private:
  void merge_again(entity_id user);
  void merge_members_again(entity_id team);
  void merge_all_again();

  entity_id owner_ = no_entity;
  // Only users whose merged grant is not empty have an entry.
  absl::flat_hash_map<entity_id, merged_grant> merged_;
  // Users whose entry is expiring, and the first instant a part of it ends.
  absl::flat_hash_map<entity_id, millis> expiries_;
  const role_schema* schema_ = nullptr;
  project_kind kind_ = project_kind::project;
  resolution_policy policy_ = resolution_policy::highest;
  absl::flat_hash_map<entity_id, grant> users_;
  absl::flat_hash_map<entity_id, grant> teams_;
  // A copy of each granted team's members, kept current by the team.
  absl::flat_hash_map<entity_id, member_map> team_members_;
  std::vector<std::uint8_t> top_;
  std::vector<std::uint8_t> read_only_caps_;
};

struct effective_access {
  std::vector<std::uint8_t> levels;  // one per category; empty means none
  bool upload = false;
  bool download = false;
};

// P4.2: a team grant on a dataset counts only for members with
// view_datasets; on code or a notebook only for members with view_code.
bool team_grant_applies(project_kind kind, member_flags flags);

// The full rules at `now`, walking the grants in force: for explanations and
// the rules of changes, and the reference the merged entries are tested
// against.
effective_access resolve_access(const project_grants& project, entity_id user, user_standing user_fact, millis now);

// C1: allowed or denied from the user's merged grant, with nothing
// allocated. `now()`, the time, is asked only when a part of the entry may
// have ended (P9).
template <class Now>
bool allows(const project_grants& project, entity_id user, user_standing user_fact, const action_requirement& need,
            Now&& now);
// The same, given what the user's grants add up to now (merged_now).
bool allows_given(const project_grants& project, entity_id user, user_standing user_fact,
                  const action_requirement& need, merged_grant merged);

template <class Now>
bool allows(const project_grants& project, entity_id user, user_standing user_fact, const action_requirement& need,
            Now&& now) {
  auto merged = user == project.owner() ? merged_grant{} : project.merged_now(user, std::forward<Now>(now));
  return allows_given(project, user, user_fact, need, merged);
}

// U2/P4.4: the highest level a read-only user may hold in each category:
// the lowest that allows a view_ action (else the lowest level).
std::vector<std::uint8_t> read_only_caps(const role_schema& schema);

}  // namespace roster::domain
