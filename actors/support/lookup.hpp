// Committed facts any actor may read straight from storage: who a username or
// e-mail names, and a user's profile. Only committed data is visible, and a
// user becomes known to callers only once committed, so this is never stale
// in a way a caller could notice.
#pragma once

#include <optional>
#include <string_view>

#include "actors/support/domain.hpp"
#include "actors/support/storage_port.hpp"

namespace roster::actors {
struct user_ref;
}

namespace roster::actors {

// The user a username or an e-mail address names.
std::optional<entity_id> find_user(storage_port& storage, std::string_view username_or_email);
std::optional<user_profile> load_user(storage_port& storage, entity_id id);
// The id a user_ref names (by id or username), if that user was registered.
std::optional<entity_id> resolve_user(storage_port& storage, const user_ref& ref);

}  // namespace roster::actors
