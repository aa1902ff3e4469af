#include "actors/directory/tenant_book.hpp"

#include <algorithm>

#include "actors/directory/directory_messages.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Counts what each tenant holds, from the listings every active user, team
// and project has: `count(tenant, kind)` for each.
template <class Count>
void count_holdings(storage_port& storage, Count&& count) {
  storage.scan("U", [&](std::string_view key, std::string_view value) {
    if (key.size() != 9) return;
    auto user = records::decode_user(value);
    if (!user.removed) count(user.tenant, 'U');
  });
  storage.scan(
      "L", [&](std::string_view, std::string_view value) { count(records::decode_team_summary(value).tenant, 'T'); });
  storage.scan("Q",
               [&](std::string_view, std::string_view value) { count(records::decode_project(value).tenant, 'P'); });
}

}  // namespace

tenant_book::tenant_book() { index(tenant_info{default_tenant, default_tenant_name, 0, false}); }

void tenant_book::load(storage_port& storage) {
  storage.scan("N", [&](std::string_view key, std::string_view value) {
    if (key.size() != 9) return;
    auto tenant = records::decode_tenant(value);
    if (!tenant.deleted) index(tenant);
  });
}

const tenant_info* tenant_book::find(const tenant_ref& ref) const {
  if (!ref.name.empty()) {
    auto it = by_name_.find(to_lower_ascii(ref.name));
    return it == by_name_.end() ? nullptr : &live_.at(it->second);
  }
  auto it = live_.find(ref.id);
  return it == live_.end() ? nullptr : &it->second;
}

failure tenant_book::not_found(const tenant_ref& ref) {
  return failure{ErrorCode::not_found,
                 "no such tenant: " + (ref.name.empty() ? std::to_string(ref.id) : "'" + ref.name + "'")};
}

std::optional<failure> tenant_book::check_name(std::string_view name, std::optional<entity_id> renaming) const {
  if (auto bad = check_entity_name("a tenant", name)) return bad;
  if (all_digits(name))
    return failure{ErrorCode::invalid_argument, "a tenant name is not all digits: those name tenants by id"};
  auto it = by_name_.find(to_lower_ascii(name));
  if (it != by_name_.end() && it->second != renaming)
    return failure{ErrorCode::already_exists, "the tenant name '" + std::string(name) + "' is taken"};
  return std::nullopt;
}

tenant_info tenant_book::add(entity_id id, std::string name, millis now) {
  tenant_info t{id, std::move(name), now, false};
  index(t);
  return t;
}

tenant_info tenant_book::rename(entity_id id, std::string name) {
  auto t = live_.at(id);
  unindex(t);
  t.name = std::move(name);
  index(t);
  return t;
}

tenant_info tenant_book::remove(entity_id id) {
  auto t = live_.at(id);
  unindex(t);
  t.deleted = true;
  return t;
}

void tenant_book::restore(const tenant_info& before, bool existed) {
  if (auto it = live_.find(before.id); it != live_.end()) unindex(it->second);
  if (existed) index(before);
}

std::vector<tenant_summary> tenant_book::summaries(storage_port& storage) const {
  std::map<entity_id, tenant_summary> out;
  for (const auto& [id, t] : live_) out[id].info = t;
  count_holdings(storage, [&](entity_id tenant, char kind) {
    auto it = out.find(tenant);
    if (it == out.end()) return;
    auto& s = it->second;
    (kind == 'U' ? s.users : kind == 'T' ? s.teams : s.projects) += 1;
  });
  std::vector<tenant_summary> list;
  for (auto& entry : out) list.push_back(std::move(entry.second));
  return list;
}

bool tenant_book::holds_anything(storage_port& storage, entity_id tenant) {
  bool any = false;
  count_holdings(storage, [&](entity_id of, char) { any = any || of == tenant; });
  return any;
}

void tenant_book::index(const tenant_info& t) {
  live_[t.id] = t;
  by_name_[to_lower_ascii(t.name)] = t.id;
}

void tenant_book::unindex(const tenant_info& t) {
  live_.erase(t.id);
  by_name_.erase(to_lower_ascii(t.name));
}

}  // namespace roster::actors
