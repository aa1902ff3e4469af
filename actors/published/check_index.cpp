#include "actors/published/check_index.hpp"

#include <mutex>

#include "actors/support/runtime.hpp"
#include "domain/validation.hpp"

namespace roster::actors {

std::optional<bool> project_view::try_check(entity_id user, platform_facts::fact fact, std::string_view action,
                                            const clock* time) const {
  if (member_changes_on_the_way_.load() != 0) return std::nullopt;
  std::shared_lock<std::shared_mutex> reading(lock_, std::try_to_lock);
  if (!reading.owns_lock() || !readable_) return std::nullopt;
  auto need = schema_->find_action(action);
  if (!need) return std::nullopt;  // the actor words the error
  // Checked first so that a hot view's cache line is only read.
  if (!read_.load(std::memory_order_relaxed)) read_.store(true, std::memory_order_relaxed);
  const auto& grants = *grants_.load(std::memory_order_relaxed);
  if (time == nullptr && grants.merged(user).expiring()) return std::nullopt;
  return allows(grants, user, fact, *need, [time] { return time->now(); });
}

void project_view::prefetch_entry(entity_id user) const {
  std::shared_lock<std::shared_mutex> reading(lock_, std::try_to_lock);
  if (!reading.owns_lock() || !readable_) return;
  grants_.load(std::memory_order_relaxed)->prefetch_merged(user);
}

void project_view::attach(const project_grants* grants, const std::shared_ptr<const role_schema>* schema,
                          const bool* deleted, entity_id tenant) {
  tenant_.store(tenant, std::memory_order_release);
  grants_.store(grants, std::memory_order_relaxed);
  schema_in_state_ = schema;
  deleted_in_state_ = deleted;
  schema_ = nullptr;
  readable_ = false;
  member_changes_on_the_way_.store(0);
}

void project_view::set_readable(bool readable) {
  schema_ = schema_in_state_ ? schema_in_state_->get() : nullptr;
  // A deleted project's checks are the actor's to refuse.
  readable_ = readable && grants_.load(std::memory_order_relaxed) && schema_ && !*deleted_in_state_;
}

void project_view::detach() {
  readable_ = false;
  grants_.store(nullptr, std::memory_order_relaxed);
  schema_ = nullptr;
  schema_in_state_ = nullptr;
  deleted_in_state_ = nullptr;
}

project_view* check_index::view_of(entity_id project) {
  auto* cell = views_.get(project);
  if (!cell) return nullptr;
  if (auto* view = cell->load(std::memory_order_acquire)) return view;
  std::lock_guard<std::mutex> guard(pool_mutex_);
  if (auto* view = cell->load(std::memory_order_acquire)) return view;  // made while we waited
  if (pool_.empty() || pool_used_ == views_per_chunk) {
    pool_.push_back(std::make_unique<project_view[]>(views_per_chunk));
    pool_used_ = 0;
  }
  auto* fresh = &pool_.back()[pool_used_++];
  cell->store(fresh, std::memory_order_release);
  return fresh;
}

std::optional<bool> check_index::try_check(entity_id user, entity_id project, std::string_view action,
                                           const platform_facts& facts) const {
  if (action.size() > limits::action_max) return std::nullopt;
  auto fact = facts.get(user);
  // Unknown users are learnt from storage, removed ones answered by the
  // project's rules, and a tenant admin's standing depends on the
  // project's tenant (N4): all belong to the actors.
  if (!fact.known || !fact.exists || fact.removed || fact.tenant_admin) return std::nullopt;
  auto* view = published_view(project);
  if (!view) return std::nullopt;
  return view->try_check(user, fact, action, time_);
}

const project_view* check_index::published_view(entity_id project) const {
  auto* cell = views_.find(project);
  return cell ? cell->load(std::memory_order_acquire) : nullptr;
}

void check_index::prefetch_cells(entity_id user, entity_id project, const platform_facts& facts) const {
  facts.prefetch(user);
  if (auto* cell = views_.find(project)) __builtin_prefetch(cell);
}

void check_index::prefetch_view(entity_id project) const {
  if (auto* view = published_view(project)) view->prefetch();
}

void check_index::prefetch_grants(entity_id project) const {
  if (auto* view = published_view(project)) view->prefetch_grants();
}

void check_index::prefetch_entry(entity_id user, entity_id project) const {
  if (auto* view = published_view(project)) view->prefetch_entry(user);
}

std::optional<entity_id> check_index::project_tenant(entity_id project) const {
  auto* view = published_view(project);
  return view ? view->tenant() : std::nullopt;
}

}  // namespace roster::actors
