#include "actors/directory/directory_actor.hpp"

#include <algorithm>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include "actors/directory/bulk_invite.hpp"
#include "actors/directory/direct_route.hpp"
#include "actors/directory/project_lookup.hpp"
#include "actors/directory/tenant_book.hpp"
#include "actors/directory/user_removal.hpp"
#include "actors/invitations/inbox_delivery.hpp"
#include "actors/invitations/invitation_book.hpp"
#include "actors/messages.hpp"
#include "actors/project/project_actor.hpp"
#include "actors/published/actor_registry.hpp"
#include "actors/support/commit_gate.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/free_memory.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/storage_port.hpp"
#include "actors/team/team_actor.hpp"
#include "actors/user/user_actor.hpp"
#include "domain/custom_schema.hpp"
#include "domain/role_schema.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

// What waits for an actor that is answering whether it stops, run once it
// has: with its actor, or with nullptr when the entity is gone.
using held_use = std::function<void(const caf::actor* handle)>;

// An active user, team or project actor, and the sweep in which it was
// last used, through the directory or directly (passivation.hpp).
struct active_actor {
  caf::actor handle;
  std::uint64_t last_used = 0;
  char kind = 0;  // 'U', 'T' or 'P': one id counter serves all three
  // Withdrawn from the registry and asked to stop, not answered yet: what
  // arrives for it meanwhile waits in `held`, in order of arrival.
  bool stopping = false;
  std::vector<held_use> held;
};

struct directory_state {
  runtime* rt = nullptr;
  commit_gate gate;
  absl::flat_hash_map<entity_id, active_actor> active;
  // The entity of each active actor, by CAF's id of it: a down message names
  // only the actor.
  absl::flat_hash_map<caf::actor_id, entity_id> entity_of;
  std::uint64_t sweep = 0;  // passivation sweeps so far
  std::size_t passivated_since_release = 0;
  // The actors the last sweep found idle and has not asked yet: asked a
  // slice a turn, so calls keep passing while 100,000 actors go idle at once.
  std::vector<entity_id> idle_to_ask;
  bool asking = false;  // an ask_idle_atom is on its way
  // Registrations not yet durable: storage cannot see them yet.
  absl::flat_hash_set<std::string> pending_usernames;
  absl::flat_hash_set<std::string> pending_emails;
  tenant_book tenants;  // N1
  // Registrations not yet durable, by tenant: a tenant with one is not empty.
  absl::flat_hash_map<entity_id, int> registering;

  directory_state() = default;
  directory_state(const directory_state&) = delete;
  directory_state& operator=(const directory_state&) = delete;
  // Actors hold the directory's handle, so they would keep each other alive:
  // when the directory stops (CAF destroys its state then), it stops them.
  ~directory_state() {
    for (auto& [id, entry] : active) caf::anon_send_exit(entry.handle, caf::exit_reason::user_shutdown);
  }
};

// The actor owns its state: a continuation reaches it through `self`, and
// runs only while the actor does.
using directory_self = caf::stateful_actor<directory_state>;
using reply = caf::result<caf::message>;

caf::actor self_handle(caf::event_based_actor* self) { return caf::actor_cast<caf::actor>(self); }

// Published for direct sends only after this turn: the message that
// activates it, delegated in this turn, then stands ahead of every direct
// one, even one that may not wait for its processing (an inbox mirror).
void track(directory_self* self, char kind, entity_id id, caf::actor handle) {
  auto& st = self->state;
  self->monitor(handle);
  st.entity_of[handle.id()] = id;
  self->send(self, publish_atom_v, id);
  st.active[id] = active_actor{std::move(handle), st.sweep, kind, false, {}};
  auto k = actor_census::index_of(kind);
  st.rt->census.active[k].fetch_add(1, std::memory_order_relaxed);
  st.rt->census.activated[k].fetch_add(1, std::memory_order_relaxed);
}

// Forgets the active actor `it` (stopped, or told to stop).
void forget(directory_state& st, decltype(directory_state::active)::iterator it) {
  if (!it->second.stopping) st.rt->registry().withdraw(it->first);  // a stopping one was withdrawn already
  st.entity_of.erase(it->second.handle.id());
  st.rt->census.active[actor_census::index_of(it->second.kind)].fetch_sub(1, std::memory_order_relaxed);
  st.active.erase(it);
}

// The actor of a user, team or project, activated from storage if needed;
// nullptr when no such entity exists. The caller sends it something: it
// counts as used. It may be stopping: see with_actor and send_on.
active_actor* activate(directory_self* self, char kind, entity_id id) {
  auto& st = self->state;
  if (auto it = st.active.find(id); it != st.active.end()) {
    // The id of a user or team named as a project's is no project, and so
    // on (found by the fuzzer: a user's actor got a project's command).
    if (it->second.kind != kind) return nullptr;
    it->second.last_used = st.sweep;
    return &it->second;
  }
  auto key = keys::with_id(kind, id);
  if (!st.rt->storage.get(key)) return nullptr;
  caf::actor handle;
  switch (kind) {
    case 'U':
      handle = spawn_user_actor(self, st.rt, id);
      break;
    case 'T':
      handle = spawn_team_actor(self, st.rt, self_handle(self), id, std::nullopt);
      break;
    default:
      handle = spawn_project_actor(self, st.rt, self_handle(self), id, std::nullopt);
      break;
  }
  track(self, kind, id, handle);
  return &st.active[id];
}

// Runs `use` with the actor of `kind` `id`, activated if needed: now, or,
// while it answers whether it stops, once it has. False when there is no
// such entity.
bool with_actor(directory_self* self, char kind, entity_id id, held_use use) {
  auto* entry = activate(self, kind, id);
  if (!entry) return false;
  if (entry->stopping) {
    entry->held.push_back(std::move(use));
  } else {
    auto handle = entry->handle;  // `use` may activate others, and move the map's entries
    use(&handle);
  }
  return true;
}

// Delegates (xs...) to the actor of `kind` `id`, activated if needed;
// answers `missing` when there is no such entity.
template <class... Ts>
reply send_on(directory_self* self, char kind, entity_id id, caf::message missing, Ts&&... xs) {
  auto* entry = activate(self, kind, id);
  if (!entry) return missing;
  if (!entry->stopping) return self->delegate(entry->handle, std::forward<Ts>(xs)...);
  auto rp = self->make_response_promise();
  entry->held.push_back([rp, missing = std::move(missing),
                         content = caf::make_message(std::forward<Ts>(xs)...)](const caf::actor* handle) mutable {
    if (handle)
      rp.delegate(*handle, std::move(content));
    else
      rp.deliver(std::move(missing));
  });
  return rp;
}

caf::message not_found(const char* what) {
  return caf::make_message(make_failure(ErrorCode::not_found, std::string("no such ") + what));
}

bool is_admin(directory_state& st, entity_id acting) {
  return acting == no_entity || st.rt->user_fact(acting).role == platform_role::admin;
}

// Runs `use` with the actor of the team or project an invitation belongs
// to (its locator), as with_actor does; false when there is none.
bool with_target_of_invitation(directory_self* self, entity_id invitation, held_use use) {
  auto& st = self->state;
  auto owner = owner_of_invitation(*st.rt, invitation);
  return owner && with_actor(self, owner->first, owner->second, std::move(use));
}

// The tenant a new user joins: the one named, where the adder may add
// users (N4: a tenant admin only to theirs). An unset reference (`default`'s
// id) names `default` for platform admins and the service, and the adder's
// own tenant for anyone else.
caf::expected<const tenant_info*> tenant_to_join(directory_state& st, entity_id acting, const tenant_ref& named) {
  auto ref = named;
  auto adder_tenant = st.rt->user_tenant(acting);
  bool unset = ref.name.empty() && ref.id == default_tenant;
  if (unset && adder_tenant && st.rt->authority_over(acting, *adder_tenant) != authority::platform_admin)
    ref.id = *adder_tenant;
  auto* tenant = st.tenants.find(ref);
  auto standing = tenant ? st.rt->authority_over(acting, tenant->id) : authority::outsider;
  if (!tenant || standing == authority::outsider) return to_error(tenant_book::not_found(named));
  if (!administers(standing))
    return make_failure(ErrorCode::permission_denied, "only admins of the tenant or of the platform add users");
  return tenant;
}

reply register_user(directory_self* self, entity_id acting, const register_user_cmd& cmd) {
  auto& st = self->state;
  auto joins = tenant_to_join(st, acting, cmd.tenant);
  if (!joins) return std::move(joins.error());
  const auto* tenant = *joins;
  if (auto bad = check_username(cmd.username)) return to_error(*bad);
  auto email = normalize_email(cmd.email);
  if (auto bad = check_email(email)) return to_error(*bad);
  if (auto bad = check_display_name(cmd.name)) return to_error(*bad);
  if (static_cast<unsigned>(cmd.role) > static_cast<unsigned>(platform_role::read_only))
    return make_failure(ErrorCode::invalid_argument, "unknown platform role");
  if (cmd.role == platform_role::admin && st.rt->authority_over(acting, tenant->id) != authority::platform_admin)
    return make_failure(ErrorCode::permission_denied, "only platform admins add platform admins");
  auto username = to_lower_ascii(cmd.username);
  if (st.pending_usernames.count(username) || st.rt->storage.get(keys::username(username)))
    return make_failure(ErrorCode::already_exists, "the username '" + cmd.username + "' is taken");
  if (st.pending_emails.count(email) || st.rt->storage.get(keys::email(email)))
    return make_failure(ErrorCode::already_exists, "the e-mail '" + email + "' is taken");

  user_profile user;
  user.id = st.rt->allocate_id();
  user.username = cmd.username;
  user.email = email;
  user.name = cmd.name.empty() ? cmd.username : cmd.name;
  user.role = cmd.role;
  user.created = st.rt->time.now();
  user.tenant = tenant->id;
  st.pending_usernames.insert(username);
  st.pending_emails.insert(email);
  ++st.registering[user.tenant];
  change_effects fx;
  fx.high_id = user.id;
  fx.batch = {{keys::user(user.id), records::encode(user)},
              {keys::username(username), records::encode_id(user.id)},
              {keys::email(email), records::encode_id(user.id)}};
  // U5: invitations that waited for this address are the new user's.
  std::vector<entity_id> waiting;  // invitations
  auto prefix = keys::waiting_prefix(email);
  st.rt->storage.scan(prefix, [&](std::string_view key, std::string_view locator) {
    auto inv = keys::read_id(key.substr(prefix.size()));
    waiting.push_back(inv);
    fx.batch.push_back({std::string(key), std::nullopt});
    fx.batch.push_back({keys::inbox_invitation(user.id, inv), std::string(locator)});
    add_notification(*st.rt, fx, user.id, notification_kind::invited, no_entity, inv, no_entity);
  });
  st.gate.persist(self, std::move(fx.batch), fx.high_id);
  auto rp = self->make_response_promise();
  st.gate.after_durable([self, rp, user, username, waiting](const failure* error) mutable {
    auto& st = self->state;
    st.pending_usernames.erase(username);
    st.pending_emails.erase(user.email);
    if (--st.registering[user.tenant] == 0) st.registering.erase(user.tenant);
    if (error) return rp.deliver(to_error(*error));
    st.rt->facts.learn_tenant(user.id, user.tenant);  // first: whoever reads the fact may read the tenant
    st.rt->facts.set(user.id, {true, true, false, user.role});
    // An invitation to the address submitted before the registration was
    // (between the first reading and the registration's write) is logged
    // before it, and the store shows what it logged before answering: now
    // that the registration is durable, a second reading finds every such
    // invitation. One submitted later finds the address taken
    // (hand_over_if_registered).
    auto handed = std::make_shared<std::vector<bind_invitee_msg>>();
    for (auto inv : waiting) handed->push_back({inv, user.id, user.email, false});
    auto prefix = keys::waiting_prefix(user.email);
    st.rt->storage.scan(prefix, [&](std::string_view key, std::string_view) {
      handed->push_back({keys::read_id(key.substr(prefix.size())), user.id, user.email, true});
    });
    // The targets record the new invitee; answering binds it anyway, so a
    // crash before this ends loses nothing of the first reading, and the
    // next start hands over what the second found (hand_over_waiting).
    await_all(
        self, handed->size(),
        [self, handed](std::size_t i, std::function<void()> answered) {
          auto ask = [self, msg = (*handed)[i], answered](const caf::actor* handle) {
            if (!handle) return answered();
            self->request(*handle, internal_timeout, msg)
                .then([answered]() { answered(); }, [answered](caf::error&) { answered(); });
          };
          if (!with_target_of_invitation(self, (*handed)[i].invitation, ask)) answered();
        },
        [rp, id = user.id]() mutable { rp.deliver(id); });
  });
  return rp;
}

// U5 at start: an invitation still waiting for an address that a user has
// (its registration was cut short by a crash) is handed over to that user.
void hand_over_waiting(directory_self* self) {
  auto& st = self->state;
  std::vector<bind_invitee_msg> handed;
  st.rt->storage.scan("W", [&](std::string_view key, std::string_view) {
    auto end = key.find('\0');
    if (end == key.npos || key.size() != end + 1 + 8) return;
    auto email = std::string(key.substr(1, end - 1));
    if (auto user = find_user(st.rt->storage, email))
      handed.push_back({keys::read_id(key.substr(end + 1)), *user, email, true});
  });
  for (auto& msg : handed)
    with_target_of_invitation(self, msg.invitation, [self, msg](const caf::actor* handle) {
      if (handle) self->send(*handle, msg);
    });
}

reply create_team(directory_self* self, entity_id acting, const create_team_cmd& cmd) {
  auto& st = self->state;
  if (acting == no_entity)
    return make_failure(ErrorCode::invalid_argument, "a team needs a user as its manager: act as one");
  if (auto bad = check_entity_name("a team", cmd.name)) return to_error(*bad);
  if (auto bad = check_icon(cmd.icon)) return to_error(*bad);
  auto profile = load_user(st.rt->storage, acting);
  if (!profile) return make_failure(ErrorCode::unauthenticated, "the acting user does not exist");
  if (st.rt->config.who_creates_teams == team_creation::team_managers && !profile->team_manager &&
      !administers(st.rt->authority_over(acting, profile->tenant)))
    return make_failure(ErrorCode::permission_denied, "only team managers create teams on this server");
  new_team team;
  team.info = team_info{st.rt->allocate_id(), cmd.name, cmd.icon, admission::invite, st.rt->time.now()};
  team.info.tenant = profile->tenant;  // N1
  team.manager = team_member{acting, profile->username, team_role::manager, member_flags{true, true}};
  auto id = team.info.id;
  auto handle = spawn_team_actor(self, st.rt, self_handle(self), id, std::optional<new_team>{team});
  track(self, 'T', id, handle);
  return self->delegate(handle, acting, cmd);
}

reply create_project(directory_self* self, entity_id acting, const create_project_cmd& cmd) {
  auto& st = self->state;
  if (acting == no_entity)
    return make_failure(ErrorCode::invalid_argument, "a project needs a user as its owner: act as one");
  if (auto bad = check_entity_name("a project", cmd.name)) return to_error(*bad);
  // An owner holds every right, more than view (U2, P4.4).
  if (st.rt->user_fact(acting).role == platform_role::read_only)
    return make_failure(ErrorCode::exceeds_platform_role, "a read-only user cannot own a project");
  failure why;
  if (!schema_from_text(cmd.schema, &why)) return to_error(why);
  auto profile = load_user(st.rt->storage, acting);
  if (!profile) return make_failure(ErrorCode::unauthenticated, "the acting user does not exist");
  project_info info;
  info.id = st.rt->allocate_id();
  info.name = cmd.name;
  info.kind = cmd.kind;
  info.owner = acting;
  info.schema = cmd.schema;
  info.policy = cmd.policy;
  info.created = st.rt->time.now();
  info.tenant = profile->tenant;  // N1
  auto handle = spawn_project_actor(self, st.rt, self_handle(self), info.id, info);
  track(self, 'P', info.id, handle);
  return self->delegate(handle, acting, cmd);
}

// T2: every active user lists every team of their tenant (N2; platform
// admins every tenant's). Acknowledged changes are committed, so the
// listing entries in storage are current.
team_list list_teams(directory_state& st, entity_id acting) {
  std::optional<entity_id> only;
  if (!is_admin(st, acting)) only = st.rt->user_tenant(acting);
  team_list list;
  st.rt->storage.scan("L", [&](std::string_view, std::string_view value) {
    auto team = records::decode_team_summary(value);
    if (!only || team.tenant == *only) list.teams.push_back(std::move(team));
  });
  return list;
}

// ---------------------------------------------------------------- tenants (N1)

// Persists a tenant's record; answers `value` once durable, or puts the
// book back as it was.
template <class T>
reply persist_tenant(directory_self* self, const tenant_info& now, const tenant_info& before, bool existed, T value) {
  auto& st = self->state;
  st.gate.persist(self, {{keys::tenant(now.id), records::encode(now)}}, existed ? no_entity : now.id);
  auto rp = self->make_response_promise();
  st.gate.after_durable([self, rp, before, existed, value = std::move(value)](const failure* error) mutable {
    if (!error) return rp.deliver(std::move(value));
    self->state.tenants.restore(before, existed);
    rp.deliver(to_error(*error));
  });
  return rp;
}

std::optional<failure> must_administer_tenants(directory_state& st, entity_id acting) {
  if (is_admin(st, acting)) return std::nullopt;
  return failure{ErrorCode::permission_denied, "only the service (an admin token) administers tenants"};
}

reply create_tenant(directory_self* self, entity_id acting, const tenant_create_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_administer_tenants(st, acting)) return to_error(*refused);
  if (auto bad = st.tenants.check_name(cmd.name)) return to_error(*bad);
  auto id = st.rt->allocate_id();
  auto added = st.tenants.add(id, cmd.name, st.rt->time.now());
  return persist_tenant(self, added, added, false, id);
}

reply rename_tenant(directory_self* self, entity_id acting, const tenant_rename_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_administer_tenants(st, acting)) return to_error(*refused);
  auto* tenant = st.tenants.find(cmd.tenant);
  if (!tenant) return to_error(tenant_book::not_found(cmd.tenant));
  if (tenant->id == default_tenant)
    return make_failure(ErrorCode::invalid_argument, "the tenant 'default' keeps its name");
  if (auto bad = st.tenants.check_name(cmd.name, tenant->id)) return to_error(*bad);
  auto before = *tenant;
  auto renamed = st.tenants.rename(tenant->id, cmd.name);
  return persist_tenant(self, renamed, before, true, caf::unit);
}

reply delete_tenant(directory_self* self, entity_id acting, const tenant_delete_cmd& cmd) {
  auto& st = self->state;
  if (auto refused = must_administer_tenants(st, acting)) return to_error(*refused);
  auto* tenant = st.tenants.find(cmd.tenant);
  if (!tenant) return to_error(tenant_book::not_found(cmd.tenant));
  if (tenant->id == default_tenant)
    return make_failure(ErrorCode::invalid_argument, "the tenant 'default' always exists");
  // Acknowledged users, teams and projects are in storage's listings; a
  // user still on the way there is registering. (A team or project is
  // created by one of the tenant's users, who would still be there.)
  if (st.registering.count(tenant->id) || tenant_book::holds_anything(st.rt->storage, tenant->id))
    return make_failure(ErrorCode::tenant_not_empty,
                        "the tenant '" + tenant->name + "' still holds users, teams or projects");
  auto before = *tenant;
  auto removed = st.tenants.remove(tenant->id);
  return persist_tenant(self, removed, before, true, caf::unit);
}

// Forwards (acting, cmd) to the actor of `kind` `target`.
template <class Command>
reply forward(directory_self* self, entity_id acting, char kind, entity_id target, const Command& cmd,
              const char* what) {
  return send_on(self, kind, target, not_found(what), acting, cmd);
}

// Forwards (acting, cmd) to the actor of the user `who` names.
template <class Command>
reply forward_to_user(directory_self* self, entity_id acting, const user_ref& who, const Command& cmd) {
  auto& st = self->state;
  auto user = resolve_user(st.rt->storage, who);
  if (!user) return make_failure(ErrorCode::not_found, "no such user");
  return forward(self, acting, 'U', *user, cmd, "user");
}

reply answer_invitation(directory_self* self, entity_id acting, const answer_invitation_cmd& cmd) {
  auto& st = self->state;
  auto owner = owner_of_invitation(*st.rt, cmd.invitation);
  if (!owner) return make_failure(ErrorCode::not_found, "no such invitation");
  return forward(self, acting, owner->first, owner->second, cmd, "invitation");
}

// The user a check, an explanation or a lookup is about.
caf::expected<entity_id> subject_of_query(directory_state& st, const user_ref& who) {
  if (who.is_service()) return make_failure(ErrorCode::invalid_argument, "name a user");
  if (who.name.empty()) return who.id;
  if (auto id = find_user(st.rt->storage, who.name)) return *id;
  return make_failure(ErrorCode::not_found, "no user '" + who.name + "'");
}

reply check(directory_self* self, check_cmd cmd) {
  auto& st = self->state;
  auto user = subject_of_query(st, cmd.user);
  if (!user) return std::move(user.error());
  cmd.user = user_ref{*user, {}};
  if (cmd.action.size() > limits::action_max)
    return make_failure(ErrorCode::invalid_argument, "an action has at most 64 bytes");
  auto project = cmd.project;
  return send_on(self, 'P', project, not_found("project"), std::move(cmd));
}

// C3: the project explains; a user that does not exist is not found.
reply explain(directory_self* self, explain_cmd cmd) {
  auto& st = self->state;
  auto user = subject_of_query(st, cmd.user);
  if (!user) return std::move(user.error());
  if (!st.rt->user_fact(*user).exists) return make_failure(ErrorCode::not_found, "no such user");
  cmd.user = user_ref{*user, {}};
  auto project = cmd.project;
  return send_on(self, 'P', project, not_found("project"), std::move(cmd));
}

// C4, P1: a lookup actor answers; `user` is resolved (no_entity: service).
reply lookup_projects(directory_self* self, entity_id user, const lookup_projects_cmd& cmd) {
  auto& st = self->state;
  if (cmd.action.size() > limits::action_max)
    return make_failure(ErrorCode::invalid_argument, "an action has at most 64 bytes");
  auto fact = st.rt->user_fact(user);
  if (user != no_entity && (!fact.exists || fact.removed)) {
    return caf::make_message(project_page{});  // a removed user sees nothing
  }
  lookup_reach reach;
  reach.everything = is_admin(st, user);
  if (auto tenant = st.rt->user_tenant(user); tenant && st.rt->authority_over(user, *tenant) == authority::tenant_admin)
    reach.whole_tenant = tenant;
  auto helper = self->spawn(project_lookup, st.rt, self_handle(self), user, reach);
  return self->delegate(helper, cmd);
}

// A handler for (user_ref, Command) that resolves the acting user, then runs
// `fn(acting, cmd)`.
template <class Command, class Fn>
auto as_acting(directory_self* self, Fn fn) {
  return [self, fn](const user_ref& who, const Command& cmd) -> reply {
    auto acting = resolve_acting(*self->state.rt, who);
    if (!acting) return std::move(acting.error());
    return fn(*acting, cmd);
  };
}

// C2: groups the checks by project, asks each project once, and answers the
// outcomes in the order given.
reply check_bulk(directory_self* self, const check_bulk_cmd& cmd) {
  auto& st = self->state;
  if (cmd.checks.size() > max_bulk_checks)
    return make_failure(ErrorCode::invalid_argument, "at most 10,000 checks in one call");
  auto result = std::make_shared<check_bulk_result>();
  result->outcomes.resize(cmd.checks.size());
  absl::flat_hash_map<entity_id, std::vector<std::size_t>> by_project;
  auto fail = [&](std::size_t i, ErrorCode code) { result->outcomes[i] = {false, true, code}; };
  std::vector<entity_id> users(cmd.checks.size(), no_entity);
  for (std::size_t i = 0; i < cmd.checks.size(); ++i) {
    const auto& c = cmd.checks[i];
    if (c.user.is_service()) {
      fail(i, ErrorCode::invalid_argument);
      continue;
    }
    auto user = c.user.name.empty() ? std::optional<entity_id>{c.user.id} : find_user(st.rt->storage, c.user.name);
    if (!user) {
      fail(i, ErrorCode::not_found);
      continue;
    }
    if (c.action.size() > limits::action_max) {
      fail(i, ErrorCode::invalid_argument);
      continue;
    }
    users[i] = *user;
    by_project[c.project].push_back(i);
  }
  // Answered here when no project is asked: once a response promise exists,
  // CAF drops the handler's own return value, and the caller would wait
  // for its timeout (found by tests/fuzz/fuzz_calls).
  if (by_project.empty()) return caf::make_message(std::move(*result));
  auto rp = self->make_response_promise();
  auto remaining = std::make_shared<std::size_t>(by_project.size());
  auto finish = [rp, result, remaining]() mutable {
    if (--*remaining == 0) rp.deliver(std::move(*result));
  };
  for (auto& [project, indexes] : by_project) {
    project_checks_msg msg;
    for (auto i : indexes) {
      msg.users.push_back(users[i]);
      msg.actions.push_back(cmd.checks[i].action);
    }
    auto not_found_all = [result, indexes = indexes, finish]() mutable {
      for (auto i : indexes) result->outcomes[i] = {false, true, ErrorCode::not_found};
      finish();
    };
    auto ask = [self, result, indexes = indexes, finish, not_found_all, msg](const caf::actor* handle) mutable {
      if (!handle) return not_found_all();
      self->request(*handle, internal_timeout, std::move(msg))
          .then(
              [result, indexes, finish](check_bulk_result& part) mutable {
                for (std::size_t k = 0; k < indexes.size(); ++k) result->outcomes[indexes[k]] = part.outcomes[k];
                finish();
              },
              [result, indexes, finish](caf::error& e) mutable {
                auto code = to_failure(e).code;
                for (auto i : indexes) result->outcomes[i] = {false, true, code};
                finish();
              });
    };
    if (!with_actor(self, 'P', project, ask)) not_found_all();
  }
  return rp;
}

// Forwarded nothing since at least two sweeps before `sweep`: one idle period.
bool idle_at(const active_actor& entry, std::uint64_t sweep) { return entry.last_used + 3 <= sweep; }

// Passivation (passivation.hpp): asks every actor nobody used for one idle
// period to stop, a slice a turn.
void sweep_idle_actors(directory_self* self) {
  auto& st = self->state;
  auto now = ++st.sweep;
  // Actors freed in bulk leave the allocator's arenas full of holes it
  // keeps; returning them is what makes resident memory follow.
  if (st.passivated_since_release >= 1000) {
    return_free_memory();
    st.passivated_since_release = 0;
  }
  st.idle_to_ask.clear();
  for (auto& [id, entry] : st.active) {
    if (entry.stopping || !idle_at(entry, now)) continue;
    // Unused through here; sent to directly? Only these are looked up: a
    // sweep over a million active actors must not hold the directory.
    if (st.rt->registry().take_used(id))
      entry.last_used = now;
    else
      st.idle_to_ask.push_back(id);
  }
  if (!st.idle_to_ask.empty() && !st.asking) {
    st.asking = true;
    self->send(self, ask_idle_atom_v);
  }
}

// The actor of `id` answered whether it stopped (`stays` false: it did, or
// it is gone). What waited for it goes on to it, or to a fresh actor.
void stop_answered(directory_self* self, entity_id id, caf::actor handle, bool stays) {
  auto& st = self->state;
  auto it = st.active.find(id);
  if (it == st.active.end() || it->second.handle != handle || !it->second.stopping) return;
  auto held = std::move(it->second.held);
  auto kind = it->second.kind;
  caf::actor next;  // a copy: what runs below may activate others, and move the map's entries
  if (stays) {
    it->second.stopping = false;
    it->second.last_used = st.sweep;
    next = handle;
    // Published once what waited is in its mailbox (track says why).
    self->send(self, publish_atom_v, id);
  } else {
    self->demonitor(handle);
    forget(st, it);
    ++st.passivated_since_release;
    st.rt->census.passivated[actor_census::index_of(kind)].fetch_add(1, std::memory_order_relaxed);
    if (!held.empty())
      if (auto* fresh = activate(self, kind, id)) next = fresh->handle;
  }
  for (auto& use : held) use(next ? &next : nullptr);
}

// One slice of a sweep's idle actors (settings::idle_questions_per_turn).
// Asking costs ~10 µs an actor; a sweep asking 100,000 at once held every
// call for a second.
void ask_idle_actors(directory_self* self) {
  auto& st = self->state;
  auto asked_in = st.sweep;
  auto slice = std::max<std::size_t>(1, st.rt->config.idle_questions_per_turn);
  for (std::size_t n = 0; n < slice && !st.idle_to_ask.empty(); ++n) {
    auto id = st.idle_to_ask.back();
    st.idle_to_ask.pop_back();
    auto found = st.active.find(id);
    // Gone or used since the sweep found it idle: not idle any more.
    if (found == st.active.end() || found->second.stopping || !idle_at(found->second, asked_in)) continue;
    auto& entry = found->second;
    if (st.rt->registry().take_used(id)) {
      entry.last_used = asked_in;
      continue;
    }
    // Withdrawn first: whatever was sent to it directly stands ahead of the
    // question, and what comes through here from now on waits for the answer.
    st.rt->registry().withdraw(id);
    entry.stopping = true;
    // No timeout: the actor answers at once, and a dead one is answered for
    // by CAF (a timer per question would cost more than the question).
    self->request(entry.handle, caf::infinite, passivate_atom_v)
        .then([self, id = id, handle = entry.handle](bool stopped) { stop_answered(self, id, handle, !stopped); },
              [self, id = id, handle = entry.handle](caf::error&) { stop_answered(self, id, handle, false); });
  }
  // The rest in a later turn, behind the calls that arrived meanwhile.
  if (st.idle_to_ask.empty())
    st.asking = false;
  else
    self->send(self, ask_idle_atom_v);
}

caf::behavior directory_behavior(directory_self* self, runtime* rt) {
  auto& st = self->state;
  st.rt = rt;
  st.gate.bind(*rt);
  self->set_down_handler([self](caf::down_msg& down) {
    auto entity = self->state.entity_of.find(down.source.id());
    if (entity == self->state.entity_of.end()) return;
    auto it = self->state.active.find(entity->second);
    if (it == self->state.active.end() || it->second.handle.address() != down.source) {
      self->state.entity_of.erase(entity);
    } else if (it->second.stopping) {
      // What waited for its answer goes to a fresh actor.
      stop_answered(self, entity->second, it->second.handle, false);
    } else {
      forget(self->state, it);
    }
  });

  // Multi-actor changes a crash interrupted resume now: user removals (U4),
  // and team deletions (T9), whose actor resumes revoking when activated.
  rt->storage.scan("R", [&](std::string_view key, std::string_view) {
    if (key.size() == 9) self->spawn(user_removal, rt, self_handle(self), keys::read_id(key.substr(1)), true);
  });
  rt->storage.scan("D", [&](std::string_view key, std::string_view) {
    if (key.size() == 9) activate(self, 'T', keys::read_id(key.substr(1)));
  });
  hand_over_waiting(self);
  st.tenants.load(rt->storage);

  caf::message_handler handlers{
      as_acting<tenant_create_cmd>(
          self, [self](entity_id acting, const tenant_create_cmd& cmd) { return create_tenant(self, acting, cmd); }),
      as_acting<tenant_rename_cmd>(
          self, [self](entity_id acting, const tenant_rename_cmd& cmd) { return rename_tenant(self, acting, cmd); }),
      as_acting<tenant_delete_cmd>(
          self, [self](entity_id acting, const tenant_delete_cmd& cmd) { return delete_tenant(self, acting, cmd); }),
      as_acting<tenant_list_cmd>(self,
                                 [self](entity_id acting, const tenant_list_cmd&) -> reply {
                                   auto& st = self->state;
                                   if (auto refused = must_administer_tenants(st, acting)) return to_error(*refused);
                                   return caf::make_message(tenant_list{st.tenants.summaries(st.rt->storage)});
                                 }),
      as_acting<register_user_cmd>(
          self, [self](entity_id acting, const register_user_cmd& cmd) { return register_user(self, acting, cmd); }),
      as_acting<create_team_cmd>(
          self, [self](entity_id acting, const create_team_cmd& cmd) { return create_team(self, acting, cmd); }),
      as_acting<create_project_cmd>(
          self, [self](entity_id acting, const create_project_cmd& cmd) { return create_project(self, acting, cmd); }),
      as_acting<team_invite_cmd>(self,
                                 [self](entity_id acting, const team_invite_cmd& cmd) {
                                   return forward(self, acting, 'T', cmd.team, cmd, "team");
                                 }),
      as_acting<team_show_cmd>(self,
                               [self](entity_id acting, const team_show_cmd& cmd) {
                                 return forward(self, acting, 'T', cmd.team, cmd, "team");
                               }),
      as_acting<team_leave_cmd>(self,
                                [self](entity_id acting, const team_leave_cmd& cmd) {
                                  return forward(self, acting, 'T', cmd.team, cmd, "team");
                                }),
      as_acting<team_set_cmd>(self,
                              [self](entity_id acting, const team_set_cmd& cmd) {
                                return forward(self, acting, 'T', cmd.team, cmd, "team");
                              }),
      as_acting<team_admin_cmd>(self,
                                [self](entity_id acting, const team_admin_cmd& cmd) {
                                  return forward(self, acting, 'T', cmd.team, cmd, "team");
                                }),
      as_acting<team_add_cmd>(self,
                              [self](entity_id acting, const team_add_cmd& cmd) {
                                return forward(self, acting, 'T', cmd.team, cmd, "team");
                              }),
      as_acting<team_remove_cmd>(self,
                                 [self](entity_id acting, const team_remove_cmd& cmd) {
                                   return forward(self, acting, 'T', cmd.team, cmd, "team");
                                 }),
      as_acting<team_transfer_cmd>(self,
                                   [self](entity_id acting, const team_transfer_cmd& cmd) {
                                     return forward(self, acting, 'T', cmd.team, cmd, "team");
                                   }),
      as_acting<team_set_flags_cmd>(self,
                                    [self](entity_id acting, const team_set_flags_cmd& cmd) {
                                      return forward(self, acting, 'T', cmd.team, cmd, "team");
                                    }),
      as_acting<team_delete_cmd>(self,
                                 [self](entity_id acting, const team_delete_cmd& cmd) {
                                   return forward(self, acting, 'T', cmd.team, cmd, "team");
                                 }),
      as_acting<team_list_cmd>(self,
                               [self](entity_id acting, const team_list_cmd&) -> reply {
                                 return caf::make_message(list_teams(self->state, acting));
                               }),
      as_acting<answer_invitation_cmd>(
          self,
          [self](entity_id acting, const answer_invitation_cmd& cmd) { return answer_invitation(self, acting, cmd); }),
      as_acting<inbox_cmd>(self,
                           [self](entity_id acting, const inbox_cmd& cmd) -> reply {
                             if (acting == no_entity)
                               return make_failure(ErrorCode::invalid_argument,
                                                   "the service has no inbox: act as a user");
                             return forward(self, acting, 'U', acting, cmd, "user");
                           }),
      as_acting<user_show_cmd>(
          self,
          [self](entity_id acting, const user_show_cmd& cmd) { return forward_to_user(self, acting, cmd.user, cmd); }),
      as_acting<user_role_cmd>(
          self,
          [self](entity_id acting, const user_role_cmd& cmd) { return forward_to_user(self, acting, cmd.user, cmd); }),
      as_acting<user_team_manager_cmd>(self,
                                       [self](entity_id acting, const user_team_manager_cmd& cmd) {
                                         return forward_to_user(self, acting, cmd.user, cmd);
                                       }),
      as_acting<user_tenant_admin_cmd>(self,
                                       [self](entity_id acting, const user_tenant_admin_cmd& cmd) {
                                         return forward_to_user(self, acting, cmd.user, cmd);
                                       }),
      as_acting<mark_read_cmd>(self,
                               [self](entity_id acting, const mark_read_cmd& cmd) -> reply {
                                 if (acting == no_entity)
                                   return make_failure(ErrorCode::invalid_argument,
                                                       "the service has no inbox: act as a user");
                                 return forward(self, acting, 'U', acting, cmd, "user");
                               }),
      as_acting<project_invite_cmd>(self,
                                    [self](entity_id acting, const project_invite_cmd& cmd) {
                                      return forward(self, acting, 'P', cmd.project, cmd, "project");
                                    }),
      as_acting<grant_team_cmd>(self,
                                [self](entity_id acting, const grant_team_cmd& cmd) {
                                  return forward(self, acting, 'P', cmd.project, cmd, "project");
                                }),
      as_acting<project_set_level_cmd>(self,
                                       [self](entity_id acting, const project_set_level_cmd& cmd) {
                                         return forward(self, acting, 'P', cmd.project, cmd, "project");
                                       }),
      as_acting<project_revoke_cmd>(self,
                                    [self](entity_id acting, const project_revoke_cmd& cmd) {
                                      return forward(self, acting, 'P', cmd.project, cmd, "project");
                                    }),
      as_acting<project_owner_cmd>(self,
                                   [self](entity_id acting, const project_owner_cmd& cmd) {
                                     return forward(self, acting, 'P', cmd.project, cmd, "project");
                                   }),
      as_acting<project_delete_cmd>(self,
                                    [self](entity_id acting, const project_delete_cmd& cmd) {
                                      return forward(self, acting, 'P', cmd.project, cmd, "project");
                                    }),
      as_acting<project_show_cmd>(self,
                                  [self](entity_id acting, const project_show_cmd& cmd) {
                                    return forward(self, acting, 'P', cmd.project, cmd, "project");
                                  }),
      as_acting<project_collaborators_cmd>(self,
                                           [self](entity_id acting, const project_collaborators_cmd& cmd) {
                                             return forward(self, acting, 'P', cmd.project, cmd, "project");
                                           }),
      as_acting<project_activity_cmd>(self,
                                      [self](entity_id acting, const project_activity_cmd& cmd) {
                                        return forward(self, acting, 'P', cmd.project, cmd, "project");
                                      }),
      as_acting<lookup_projects_cmd>(
          self,
          [self](entity_id acting, const lookup_projects_cmd& cmd) { return lookup_projects(self, acting, cmd); }),
      [self](const lookup_projects_cmd& cmd) -> reply {
        auto user = subject_of_query(self->state, cmd.user);
        if (!user) return std::move(user.error());
        return lookup_projects(self, *user, cmd);
      },
      [self](const lookup_users_cmd& cmd) -> reply {
        if (cmd.action.size() > limits::action_max)
          return make_failure(ErrorCode::invalid_argument, "an action has at most 64 bytes");
        return send_on(self, 'P', cmd.project, not_found("project"), cmd);
      },
      [self](const explain_cmd& cmd) { return explain(self, cmd); },
      [self](entity_id project, const project_match_msg& msg) -> reply {
        return send_on(self, 'P', project, caf::make_message(project_match{}), msg);
      },
      [self](const team_unsubscribe_msg& msg) -> reply { return send_on(self, 'T', msg.team, caf::message{}, msg); },
      as_acting<bulk_invite_cmd>(self,
                                 [self](entity_id acting, const bulk_invite_cmd& cmd) -> reply {
                                   auto helper = self->spawn(bulk_invite, self_handle(self), acting);
                                   return self->delegate(helper, cmd);
                                 }),
      as_acting<user_remove_cmd>(self,
                                 [self](entity_id acting, const user_remove_cmd& cmd) -> reply {
                                   auto user = resolve_user(self->state.rt->storage, cmd.user);
                                   if (!user || cmd.user.is_service())
                                     return make_failure(ErrorCode::not_found, "no such user");
                                   auto runner =
                                       self->spawn(user_removal, self->state.rt, self_handle(self), *user, false);
                                   return self->delegate(runner, acting, cmd);
                                 }),
      [self](entity_id user, const mark_removed_msg& msg) -> reply {
        return send_on(self, 'U', user, not_found("user"), msg);
      },
      [self](entity_id user, const removal_done_msg& msg) -> reply {
        return send_on(self, 'U', user, not_found("user"), msg);
      },
      // No such team: nothing to leave.
      [self](const member_gone_msg& msg) -> reply { return send_on(self, 'T', msg.team, caf::message{}, msg); },
      [self](const user_gone_msg& msg) -> reply { return send_on(self, 'P', msg.project, caf::message{}, msg); },
      [self](const check_cmd& cmd) { return check(self, cmd); },
      [self](const check_bulk_cmd& cmd) { return check_bulk(self, cmd); },
      [self](entity_id user, const inbox_update_msg& update) { return forward(self, user, 'U', user, update, "user"); },
      [self](const member_change_msg& change) -> reply {
        // A project not in memory loads fresh members when activated.
        if (!self->state.active.count(change.project)) return caf::make_message();
        return send_on(self, 'P', change.project, caf::message{}, change);
      },
      // The project is gone: nothing to revoke.
      [self](const revoke_team_msg& msg) -> reply { return send_on(self, 'P', msg.project, caf::message{}, msg); },
      [self](const team_subscribe_msg& msg) -> reply { return send_on(self, 'T', msg.team, not_found("team"), msg); },
      [self](publish_atom, entity_id id) {
        auto it = self->state.active.find(id);
        if (it != self->state.active.end() && !it->second.stopping)
          self->state.rt->registry().publish(it->second.kind, id, it->second.handle);
      },
  };
  // A failed registration leaves nothing behind in memory (its pending
  // names are released with the failure), so the directory carries on.
  if (rt->config.passivate_after > 0) {
    auto every = std::chrono::milliseconds(std::max<millis>(1, rt->config.passivate_after / 2));
    handlers = handlers.or_else(caf::message_handler{
        [self, every](sweep_atom) {
          sweep_idle_actors(self);
          self->delayed_send(self, every, sweep_atom_v);
        },
        [self](ask_idle_atom) { ask_idle_actors(self); },
    });
    self->delayed_send(self, every, sweep_atom_v);
  }
  return caf::behavior{handlers.or_else(commit_handlers(self, self->state.gate, false))};
}

}  // namespace

caf::actor spawn_directory(caf::actor_system& system, runtime* rt) { return system.spawn(directory_behavior, rt); }

}  // namespace roster::actors
