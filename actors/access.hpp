// Effective access of a user on a project (SPEC P4), as a pure function of
// the project's grants and the user's platform facts.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <vector>

#include "actors/domain.hpp"
#include "actors/platform_facts.hpp"
#include "actors/role_schema.hpp"

namespace roster::actors {

struct project_grants {
  const role_schema* schema = nullptr;
  project_kind kind = project_kind::project;
  resolution_policy policy = resolution_policy::highest;
  entity_id owner = no_entity;
  absl::flat_hash_map<entity_id, grant> users;
  absl::flat_hash_map<entity_id, grant> teams;
  // A copy of each granted team's members, kept current by the team.
  absl::flat_hash_map<entity_id, absl::flat_hash_map<entity_id, member_flags>> team_members;
};

struct effective_access {
  std::vector<std::uint8_t> levels;  // one per category; empty means none
  bool upload = false;
  bool download = false;
};

// P4.2: a team grant on a dataset counts only for members with
// view_datasets; on code or a notebook only for members with view_code.
bool team_grant_applies(project_kind kind, member_flags flags);

effective_access resolve_access(const project_grants& project, entity_id user,
                                platform_facts::fact user_fact);

// C1: allowed or denied, without building the whole effective access.
bool allows(const project_grants& project, entity_id user, platform_facts::fact user_fact,
            const action_requirement& need);

// U2/P4.4: the highest level a read-only user may hold in each category:
// the lowest that allows a view_ action (else the lowest level).
std::vector<std::uint8_t> read_only_caps(const role_schema& schema);

}  // namespace roster::actors
