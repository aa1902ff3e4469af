// N1: the tenants, as the directory holds them. A server has few, and every
// user added names one, so they are kept in memory whole, loaded at start;
// `default` (id 0) always exists and has no record.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "actors/support/domain.hpp"
#include "storage/port.hpp"

namespace roster::actors {

struct tenant_ref;
struct tenant_summary;

class tenant_book {
 public:
  tenant_book();

  // Reads every tenant record (N<tenant>).
  void load(storage::storage_port& storage);

  // The live tenant `ref` names, or nullptr.
  const tenant_info* find(const tenant_ref& ref) const;
  // The failure for a `ref` naming no live tenant.
  static failure not_found(const tenant_ref& ref);

  // A new name (or one `renaming` takes): the rules of team names, not all
  // digits (those name tenants by id), and no other live tenant's, ignoring
  // ASCII case.
  std::optional<failure> check_name(std::string_view name, std::optional<entity_id> renaming = std::nullopt) const;

  // These change the book at once, so that the next call sees the change;
  // the directory persists the record they return and, if that fails, puts
  // back what it replaced (restore).
  tenant_info add(entity_id id, std::string name, millis now);
  tenant_info rename(entity_id id, std::string name);
  tenant_info remove(entity_id id);
  void restore(const tenant_info& before, bool existed);

  // Every live tenant in id order, `default` first, with what each holds
  // (its active users, teams and projects). Reads every listing: a call for
  // operators, not for a hot path.
  std::vector<tenant_summary> summaries(storage::storage_port& storage) const;
  // Whether `tenant` holds any active user, team or project.
  static bool holds_anything(storage::storage_port& storage, entity_id tenant);

 private:
  void index(const tenant_info& t);
  void unindex(const tenant_info& t);

  std::map<entity_id, tenant_info> live_;
  absl::flat_hash_map<std::string, entity_id> by_name_;  // lower-cased
};

}  // namespace roster::actors
