#include "actors/project/project_state.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/custom_schema.hpp"

namespace roster::actors {

void set_info(project_state& st, const project_info& info) {
  st.info = info;
  failure why;
  st.schema = schema_from_text(info.schema, &why);
  if (!st.schema) st.schema = role_schema::simple();  // validated at creation: not reached
  st.grants.configure(st.schema.get(), info.kind, info.policy, info.owner);
}

user_standing standing_here(const project_state& st, entity_id user) {
  auto fact = st.rt->user_fact(user);
  if (!fact.tenant_admin) return fact;
  return standing_on(fact, st.rt->user_tenant(user), st.info.tenant);
}

effective_access access_of(const project_state& st, entity_id user) {
  if (user == no_entity) return effective_access{st.schema->top_levels(), true, true};
  return resolve_access(st.grants, user, standing_here(st, user), st.rt->time.now());
}

bool can_see(const project_state& st, entity_id acting) {
  auto access = access_of(st, acting);
  for (auto level : access.levels)
    if (level > 0) return true;
  return access.upload || access.download;
}

bool of_this_tenant(const project_state& st, entity_id user) {
  return st.rt->user_tenant(user) == std::optional<entity_id>(st.info.tenant);
}

bool reaches_project(const project_state& st, entity_id acting) {
  return st.rt->authority_over(acting, st.info.tenant) != authority::outsider || st.grants.users().count(acting) > 0;
}

bool has_every_right(const project_state& st, entity_id acting) {
  if (acting == no_entity) return true;
  auto fact = standing_here(st, acting);
  if (!fact.exists || fact.removed) return false;
  return fact.role == platform_role::admin || (acting == st.info.owner && fact.role != platform_role::read_only);
}

bool has_action(const project_state& st, const effective_access& access, std::string_view action) {
  auto need = st.schema->find_action(action);
  return need && st.schema->allows_level(access.levels, *need) && need->level > 0;
}

std::optional<failure> check_grant_right(const project_state& st, entity_id acting, const grant& offered) {
  if (!can_see(st, acting)) return failure{ErrorCode::not_found, "no such project"};
  if (has_every_right(st, acting)) return std::nullopt;  // also where a custom schema names no such action
  auto denied = [](std::string why) { return failure{ErrorCode::permission_denied, std::move(why)}; };
  auto access = access_of(st, acting);
  const auto& categories = st.schema->all();
  for (std::size_t c = 0; c < offered.levels.size(); ++c) {
    if (offered.levels[c] == 0) continue;
    const auto& level = categories[c].levels[offered.levels[c]];
    // simple names an invite_<level> action per level; other schemas leave
    // granting to manage_team.
    auto invite_action = "invite_" + level;
    bool allowed = st.schema->find_action(invite_action) ? has_action(st, access, invite_action)
                                                         : has_action(st, access, "manage_team");
    if (!allowed) return denied("you may not grant '" + level + "' on this project");
    auto own = c < access.levels.size() ? access.levels[c] : std::uint8_t{0};
    if (offered.levels[c] > own)
      return denied("you may not grant '" + level + "': it is above your own level in '" + categories[c].name + "'");
  }
  if (offered.upload && !access.upload) return denied("you may not grant upload: you do not hold it");
  if (offered.download && !access.download) return denied("you may not grant download: you do not hold it");
  return std::nullopt;
}

bool may_remove_grants(const project_state& st, entity_id acting) {
  if (has_every_right(st, acting)) return true;
  auto access = access_of(st, acting);
  return st.schema->find_action("remove_collaborators") ? has_action(st, access, "remove_collaborators")
                                                        : has_action(st, access, "manage_team");
}

std::optional<failure> check_platform_role(const project_state& st, entity_id user,
                                           const std::vector<std::uint8_t>& levels, bool upload) {
  if (st.rt->user_fact(user).role != platform_role::read_only) return std::nullopt;
  auto caps = read_only_caps(*st.schema);
  for (std::size_t c = 0; c < levels.size(); ++c)
    if (levels[c] > caps[c] || upload)
      return failure{ErrorCode::exceeds_platform_role, "a read-only user can hold view access only"};
  return std::nullopt;
}

std::vector<level_spec> named_levels(const role_schema& schema, const std::vector<std::uint8_t>& levels) {
  std::vector<level_spec> named;
  for (std::size_t c = 0; c < levels.size() && c < schema.all().size(); ++c)
    if (levels[c] > 0) named.push_back(level_spec{schema.all()[c].name, schema.all()[c].levels[levels[c]]});
  return named;
}

void remember_event(project_state& st, activity_event event) {
  st.activity.push_back(std::move(event));
  // Trimmed only once twice the page is held, so an append moves nothing
  // most of the time.
  if (st.activity.size() >= 2 * activity_in_memory)
    st.activity.erase(st.activity.begin(), st.activity.end() - activity_in_memory);
}

void log_event(project_state& st, change_effects& fx, entity_id actor, std::string what) {
  activity_event event{st.rt->time.now(), actor, std::move(what)};
  fx.batch.push_back({keys::project_event(st.info.id, st.next_event++), records::encode(event)});
  remember_event(st, std::move(event));
}

std::string describe_user(const project_state& st, entity_id user) {
  if (user == no_entity) return "the service";
  auto profile = load_user(st.rt->storage, user);
  return "user " + (profile ? profile->username : std::to_string(user));
}

std::string describe_team(entity_id team) { return "team " + std::to_string(team); }

void write_user_grant(project_state& st, change_effects& fx, entity_id user, const grant& g) {
  fx.batch.push_back({keys::project_user_grant(st.info.id, user), records::encode_grant(false, user, g)});
  fx.batch.push_back({keys::user_project(user, st.info.id), std::string()});
  st.grants.put_user(user, g);
}

void erase_user_grant(project_state& st, change_effects& fx, entity_id user) {
  fx.batch.push_back({keys::project_user_grant(st.info.id, user), std::nullopt});
  if (user != st.info.owner) fx.batch.push_back({keys::user_project(user, st.info.id), std::nullopt});
  st.grants.erase_user(user);
}

void write_project(const project_state& st, change_effects& fx) {
  fx.batch.push_back({keys::project(st.info.id), records::encode(st.info)});
  if (st.info.deleted)
    fx.batch.push_back({keys::project_listing(st.info.id), std::nullopt});
  else
    fx.batch.push_back({keys::project_listing(st.info.id), records::encode(st.info)});
}

}  // namespace roster::actors
