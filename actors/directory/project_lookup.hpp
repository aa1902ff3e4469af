// C4 and P1: the projects a user sees (or on which they may do an action),
// in id order, paged. One short-lived actor per call, so that the storage
// scans and the questions to each project never hold up the directory.
#pragma once

#include <caf/fwd.hpp>

#include <optional>

#include "actors/support/domain.hpp"

namespace roster::actors {

class runtime;

// Which projects a lookup considers before asking them: those the user's
// grants and teams reach, plus every project of one tenant (N4: a tenant
// admin's), or every project (a platform admin or the service).
struct lookup_reach {
  bool everything = false;
  std::optional<entity_id> whole_tenant;
};

// Answers one lookup_projects_cmd (whose user is resolved: `user`, or
// no_entity for the service) and quits.
caf::behavior project_lookup(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id user,
                             lookup_reach reach);

}  // namespace roster::actors
