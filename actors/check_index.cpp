#include "actors/check_index.hpp"

#include <mutex>

#include "actors/validation.hpp"

namespace roster::actors {

std::optional<bool> project_view::try_check(entity_id user, platform_facts::fact fact,
                                            std::string_view action) const {
  std::shared_lock<std::shared_mutex> reading(lock_, std::try_to_lock);
  if (!reading.owns_lock() || !readable_ || *deleted_) return std::nullopt;
  auto need = (*schema_)->find_action(action);
  if (!need) return std::nullopt;  // the actor words the error
  // Checked first so that a hot view's cache line is only read.
  if (!read_.load(std::memory_order_relaxed)) read_.store(true, std::memory_order_relaxed);
  return allows(*grants_, user, fact, *need);
}

void project_view::attach(std::shared_ptr<const void> owner, const project_grants* grants,
                          const std::shared_ptr<const role_schema>* schema, const bool* deleted) {
  owner_ = std::move(owner);
  grants_ = grants;
  schema_ = schema;
  deleted_ = deleted;
  readable_ = false;
}

void project_view::detach() {
  readable_ = false;
  grants_ = nullptr;
  schema_ = nullptr;
  deleted_ = nullptr;
  owner_.reset();
}

check_index::~check_index() {
  views_.for_each([](project_view* view) { delete view; });
}

project_view* check_index::view_of(entity_id project) {
  auto* cell = views_.get(project);
  if (!cell) return nullptr;
  auto* view = cell->load(std::memory_order_acquire);
  if (view) return view;
  auto fresh = std::make_unique<project_view>();
  if (cell->compare_exchange_strong(view, fresh.get(), std::memory_order_acq_rel)) return fresh.release();
  return view;  // another thread created it first
}

std::optional<bool> check_index::try_check(entity_id user, entity_id project, std::string_view action,
                                           const platform_facts& facts) const {
  if (action.size() > limits::action_max) return std::nullopt;
  auto fact = facts.get(user);
  // Unknown users are learnt from storage, removed ones answered by the
  // project's rules: both belong to the actors.
  if (!fact.known || !fact.exists || fact.removed) return std::nullopt;
  auto* cell = views_.find(project);
  if (!cell) return std::nullopt;
  auto* view = cell->load(std::memory_order_acquire);
  if (!view) return std::nullopt;
  return view->try_check(user, fact, action);
}

}  // namespace roster::actors
