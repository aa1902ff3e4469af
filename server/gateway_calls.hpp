// How the gateway turns a call into a message to the directory and the
// reply into the call's result union. Private to server/gateway*.cpp.
#pragma once

#include <memory>
#include <optional>
#include <type_traits>

#include "actors/directory/direct_route.hpp"
#include "actors/messages.hpp"
#include "server/actor_bridge.hpp"
#include "server/call_observation.hpp"
#include "server/gateway.hpp"
#include "server/wire_convert.hpp"

namespace roster::server::gateway_detail {

using actors::user_ref;

inline std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

// Writes the reply's failure into `result`, if it holds one.
template <class ResultBuilder>
bool take_failure(const caf::message& reply, ResultBuilder result) {
  if (reply.match_elements<caf::error>()) {
    to_wire(actors::to_failure(reply.get_as<caf::error>(0)), result.initError());
    return true;
  }
  return false;
}

template <class ResultBuilder>
void unexpected_reply(ResultBuilder result) {
  to_wire(actors::failure{ErrorCode::unavailable, "the server answered in an unexpected shape"}, result.initError());
}

template <class ResultBuilder>
void unauthenticated(ResultBuilder result) {
  to_wire(actors::failure{ErrorCode::unauthenticated, "the service token was not accepted"}, result.initError());
}

// The calls one connection has waiting in the actors, against its own
// limit (the bridge keeps the limit of all connections together). A
// connection lives on one loop: no atomics.
struct connection_calls {
  explicit connection_calls(std::size_t most) : limit(most) {}
  const std::size_t limit;
  std::size_t waiting = 0;
};

// Who asks: the loop's bridge, for the connection the call came on.
struct caller {
  actor_bridge& bridge;
  actors::runtime& actors;
  std::shared_ptr<connection_calls> calls;
  call_observer* observer;  // may be null
  kj::Timer& timer;
  std::chrono::milliseconds revision_wait;
  // N5: set when the connection's token is scoped to this tenant.
  std::optional<actors::entity_id> tenant_scope = std::nullopt;
};

namespace detail {
template <class C, class = void>
struct names_user : std::false_type {};
template <class C>
struct names_user<C, std::enable_if_t<std::is_same_v<decltype(C::user), user_ref>>> : std::true_type {};
}  // namespace detail

// N5: under a tenant-scoped token, whether the user `who` names is out of
// reach: of another tenant, and not a guest of `project` (no_entity: of
// none). A user that does not exist is the actors' to answer.
bool user_beyond_tenant(const caller& from, const user_ref& who, actors::entity_id project);

// N5: a connection whose token is scoped to one tenant reaches that
// tenant's teams, projects and users, and the guests of its projects;
// anything else it names is not found, as if it did not exist. The
// refusal for `cmd`, if any; always none for other tokens.
template <class Command>
std::optional<actors::failure> beyond_tenant(const caller& from, const Command& cmd) {
  if (!from.tenant_scope) return std::nullopt;
  auto& storage = from.actors.storage;
  auto project = actors::no_entity;
  if constexpr (actors::detail::names_project<Command>::value) {
    auto tenant = actors::project_tenant(storage, cmd.project);
    if (tenant && *tenant != *from.tenant_scope) return actors::failure{ErrorCode::not_found, "no such project"};
    project = cmd.project;
  }
  if constexpr (actors::detail::names_team<Command>::value) {
    auto tenant = actors::team_tenant(storage, cmd.team);
    if (tenant && *tenant != *from.tenant_scope) return actors::failure{ErrorCode::not_found, "no such team"};
  }
  if constexpr (detail::names_user<Command>::value) {
    if (user_beyond_tenant(from, cmd.user, project)) return actors::failure{ErrorCode::not_found, "no such user"};
  }
  if constexpr (std::is_same_v<Command, actors::bulk_invite_cmd>) {
    for (const auto& target : cmd.targets) {
      bool team = target.kind == actors::target_kind::team;
      auto tenant = team ? actors::team_tenant(storage, target.id) : actors::project_tenant(storage, target.id);
      if (tenant && *tenant != *from.tenant_scope)
        return actors::failure{ErrorCode::not_found,
                               std::string("no such ") + (team ? "team " : "project ") + std::to_string(target.id)};
    }
  }
  return std::nullopt;
}

// N5: a user added through a tenant-scoped connection joins its tenant:
// an unset `tenant` becomes it, another is not found. Nothing for other
// tokens.
std::optional<actors::failure> pin_to_tenant(const caller& from, actors::tenant_ref& tenant);

// N5: the projects of a page a tenant-scoped connection may see.
void keep_within_tenant(const caller& from, actors::project_page& page);

// C7: resolves true once storage has reached `wanted`, false when the
// caller's revision wait runs out first. On one node every revision a write
// answered is reached already; a later one (named by a caller that made it
// up, or one of a replica ahead of this server) is looked for once a
// millisecond.
inline kj::Promise<bool> revision_reached(const caller& from, std::uint64_t wanted, kj::TimePoint give_up) {
  if (wanted <= from.actors.storage.revision()) return true;
  if (from.timer.now() >= give_up) return false;
  return from.timer.afterDelay(1 * kj::MILLISECONDS).then([&from, wanted, give_up]() {
    return revision_reached(from, wanted, give_up);
  });
}

// Runs `answer(context)` once storage has reached the call's
// atLeastRevision, else answers revision_not_reached.
template <class Context, class Answer>
kj::Promise<void> at_revision(const caller& from, Context context, Answer answer) {
  auto wanted = context.getParams().getAtLeastRevision();
  if (wanted <= from.actors.storage.revision()) return answer(context);  // the usual case: one load
  auto give_up = from.timer.now() + from.revision_wait.count() * kj::MILLISECONDS;
  return revision_reached(from, wanted, give_up)
      .then([&from, wanted, context, answer](bool reached) mutable -> kj::Promise<void> {
        if (reached) return answer(context);
        to_wire(actors::failure{ErrorCode::revision_not_reached,
                                "revision " + std::to_string(wanted) + " was not reached within " +
                                    std::to_string(from.revision_wait.count()) + " ms (the server is at " +
                                    std::to_string(from.actors.storage.revision()) + ")"},
                context.getResults().initResult().initError());
        return kj::READY_NOW;
      });
}

// Whether the connection has room for one more call; if not, `fill` gets
// `overloaded`.
template <class Fill>
bool has_room(const caller& from, Fill& fill) {
  if (from.calls->waiting < from.calls->limit) return true;
  fill(caf::make_message(actors::make_failure(
      ErrorCode::overloaded, "this connection is at its limit of calls in flight: wait for answers, or retry later")));
  return false;
}

template <class Fill>
kj::Promise<void> answered(const caller& from, kj::Promise<caf::message> reply, Fill fill) {
  ++from.calls->waiting;
  return reply.then(kj::mv(fill)).attach(kj::defer([calls = from.calls]() { --calls->waiting; }));
}

// Sends `xs` to the directory; hands the reply to `fill` on the KJ thread.
// Beyond the connection's limit, `fill` gets `overloaded` at once.
template <class Fill, class... Ts>
kj::Promise<void> ask(const caller& from, Fill fill, Ts&&... xs) {
  if (!has_room(from, fill)) return kj::READY_NOW;
  if (from.tenant_scope) {
    std::optional<actors::failure> refused;
    ((refused = refused ? refused : beyond_tenant(from, xs)), ...);
    if (refused) {
      fill(caf::make_message(actors::to_error(*refused)));
      return kj::READY_NOW;
    }
  }
  return answered(from, from.bridge.ask(caf::make_message(std::forward<Ts>(xs)...)), kj::mv(fill));
}

// Sends `cmd`, made as `acting`, straight to the actor that owns it when
// that actor is active, else to the directory: the same answer either way,
// one hop fewer on the first.
template <class Fill, class Command>
kj::Promise<void> ask_owner(const caller& from, Fill fill, const user_ref& acting, Command cmd) {
  if (!has_room(from, fill)) return kj::READY_NOW;
  if (auto refused = beyond_tenant(from, cmd)) {
    fill(caf::make_message(actors::to_error(*refused)));
    return kj::READY_NOW;
  }
  if (auto route = actors::route_of(from.actors, acting, cmd)) {
    KJ_IF_MAYBE (reply, from.bridge.ask_if_active(from.actors.registry(), route->kind, route->owner,
                                                  caf::make_message(route->acting, cmd)))
      return answered(from, kj::mv(*reply), kj::mv(fill));
  }
  return answered(from, from.bridge.ask(caf::make_message(acting, std::move(cmd))), kj::mv(fill));
}

// For writes whose success is an empty reply. A success carries the
// revision storage is at when the answer leaves (C7): the write's own
// commit was durable before its reply, so the revision holds it.
template <class Context>
auto fill_void(const caller& from, Context context) {
  return [context, storage = &from.actors.storage](caf::message reply) mutable {
    auto result = context.getResults().initResult();
    if (take_failure(reply, result)) return;
    result.setOk();
    result.setRevision(storage->revision());
  };
}

// For writes whose success is a new id; with the revision, as fill_void.
template <class Context>
auto fill_id(const caller& from, Context context) {
  return [context, storage = &from.actors.storage](caf::message reply) mutable {
    auto result = context.getResults().initResult();
    if (take_failure(reply, result)) return;
    if (!reply.match_elements<actors::entity_id>()) return unexpected_reply(result);
    result.setId(reply.get_as<actors::entity_id>(0));
    result.setRevision(storage->revision());
  };
}

// For calls whose success is one value of type T, written by `write`.
template <class T, class Context, class Write>
auto fill_value(Context context, Write write) {
  return [context, write](caf::message reply) mutable {
    auto result = context.getResults().initResult();
    if (take_failure(reply, result)) return;
    if (!reply.match_elements<T>()) return unexpected_reply(result);
    write(reply.get_as<T>(0), result);
  };
}

// The Session a Service hands out: calls on behalf of `acting`.
// A session acting as `acting` (the service itself when empty) for a
// connection whose token has `scope`: it refuses every call when the scope
// does not allow acting so.
kj::Own<wire::Session::Server> make_session(const caller& from, user_ref acting, token_scope scope);

}  // namespace roster::server::gateway_detail
