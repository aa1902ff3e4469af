// Role schemas (SPEC P3): categories of ordered levels, each level allowing
// its actions and every action of the levels below it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.hpp"

namespace roster::domain {

struct role_category {
  std::string name;
  // levels[0] is "no_access"; levels[i] allows actions[i] and all below.
  std::vector<std::string> levels;
  std::vector<std::vector<std::string>> actions;
};

// What one action needs: a level in a category, or one of the two flags.
struct action_requirement {
  enum class kind : std::uint8_t { level, upload, download } what = kind::level;
  std::uint8_t category = 0;
  std::uint8_t level = 0;
};

class role_schema {
 public:
  // The most a schema holds: custom schemas are refused beyond them, and a
  // user's merged levels on a project pack into one word because of them
  // (domain/access.hpp).
  static constexpr std::size_t max_categories = 8;
  static constexpr std::size_t max_named_levels = 8;  // besides no_access

  // Throws std::invalid_argument beyond the limits above (custom schemas are
  // validated before they get here).
  explicit role_schema(std::string name, std::vector<role_category> categories);

  static std::shared_ptr<const role_schema> simple();
  static std::shared_ptr<const role_schema> categories();
  // The built-in schema of that name, or nullptr.
  static std::shared_ptr<const role_schema> builtin(std::string_view name);

  const std::string& name() const { return name_; }
  const std::vector<role_category>& all() const { return categories_; }

  std::optional<action_requirement> find_action(std::string_view action) const;

  // Resolves levels given by name into one index per category; categories
  // not named stay at 0. Fails with invalid_argument naming the problem.
  std::optional<failure> resolve(const std::vector<level_spec>& specs, std::vector<std::uint8_t>* levels) const;

  // The top level of every category.
  std::vector<std::uint8_t> top_levels() const;

  // True when `levels` allow `action` (flags are not consulted here).
  bool allows_level(const std::vector<std::uint8_t>& levels, const action_requirement& need) const {
    return need.category < levels.size() && levels[need.category] >= need.level;
  }

 private:
  struct action_entry {
    std::string name;
    action_requirement need;
  };
  std::string name_;
  std::vector<role_category> categories_;
  std::vector<action_entry> actions_;  // sorted by name
};

}  // namespace roster::domain
