// Where a call goes without the directory: the acting user and the actor
// that owns the command, found on the caller's thread exactly as the
// directory finds them. The gateway sends (acting, command) straight to that
// actor when it is active (actor_registry.hpp); anything more — an actor to
// activate, a user who cannot act, a command no single actor owns — goes to
// the directory, which answers as it always has.
#pragma once

#include <optional>
#include <type_traits>

#include "actors/messages.hpp"
#include "actors/support/runtime.hpp"

namespace roster::actors {

// The acting user's id (no_entity: the service), or why they cannot act
// (unauthenticated).
caf::expected<entity_id> resolve_acting(runtime& rt, const user_ref& who);

// The team or project an invitation belongs to: (kind, id).
std::optional<std::pair<char, entity_id>> owner_of_invitation(runtime& rt, entity_id invitation);

// N5: what a tenant-scoped connection checks on its own thread. The live
// tenant a name (ignoring ASCII case) or an id in digits names; the tenant
// of a live team or project, from its listing entry; and whether the user
// `who` names is of another tenant than `tenant` and holds no direct grant
// on `project` (no_entity: on none) — a guest holds one (N3). A user that
// does not exist is not outside: the actors answer for them.
std::optional<tenant_info> find_tenant(storage_port& storage, std::string_view name_or_id);
std::optional<entity_id> team_tenant(storage_port& storage, entity_id team);
std::optional<entity_id> project_tenant(storage_port& storage, entity_id project);
bool outside_tenant(runtime& rt, const user_ref& who, entity_id tenant, entity_id project);

struct direct_route {
  char kind = 0;  // of the owning actor: 'U', 'T' or 'P'
  entity_id owner = no_entity;
  entity_id acting = no_entity;
};

namespace detail {
template <class C, class = void>
struct names_project : std::false_type {};
template <class C>
struct names_project<C, std::void_t<decltype(C::project)>> : std::true_type {};
template <class C, class = void>
struct names_team : std::false_type {};
template <class C>
struct names_team<C, std::void_t<decltype(C::team)>> : std::true_type {};
}  // namespace detail

// The owner of a command made as `who`, or nullopt when the directory must
// take it. A command naming a project belongs to that project (a grant
// names a team too, and is still the project's); one naming only a team,
// to the team; an invitation's answer, to whatever it belongs to; a look at
// one's own inbox, to one's user actor. Anything else — creations, user
// administration, lists across entities — is the directory's.
template <class Command>
std::optional<direct_route> route_of(runtime& rt, const user_ref& who, const Command& cmd) {
  // Not made as someone: the directory resolves their subjects first.
  static_assert(!std::is_same_v<Command, check_cmd> && !std::is_same_v<Command, explain_cmd> &&
                !std::is_same_v<Command, lookup_users_cmd>);
  constexpr bool own_inbox = std::is_same_v<Command, inbox_cmd> || std::is_same_v<Command, mark_read_cmd>;
  constexpr bool routed = std::is_same_v<Command, answer_invitation_cmd> || own_inbox ||
                          detail::names_project<Command>::value || detail::names_team<Command>::value;
  if constexpr (!routed) {
    return std::nullopt;
  } else {
    auto acting = resolve_acting(rt, who);
    if (!acting) return std::nullopt;
    if constexpr (std::is_same_v<Command, answer_invitation_cmd>) {
      auto owner = owner_of_invitation(rt, cmd.invitation);
      if (!owner) return std::nullopt;
      return direct_route{owner->first, owner->second, *acting};
    } else if constexpr (own_inbox) {
      if (*acting == no_entity) return std::nullopt;
      return direct_route{'U', *acting, *acting};
    } else if constexpr (detail::names_project<Command>::value) {
      return direct_route{'P', cmd.project, *acting};
    } else {
      return direct_route{'T', cmd.team, *acting};
    }
  }
}

}  // namespace roster::actors
