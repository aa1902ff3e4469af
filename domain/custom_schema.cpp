#include "domain/custom_schema.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace roster::domain {
namespace {

constexpr std::size_t max_text = std::size_t{64} * 1024;
constexpr std::size_t max_categories = role_schema::max_categories;
constexpr std::size_t max_levels = role_schema::max_named_levels;
constexpr std::size_t max_actions = 256;

bool well_formed_name(const std::string& name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

struct invalid {
  std::string reason;
};

std::string text_field(const nlohmann::json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string())
    throw invalid{where + " needs a \"" + key + "\" text"};
  return object[key].get<std::string>();
}

const nlohmann::json& list_field(const nlohmann::json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_array())
    throw invalid{where + " needs a \"" + key + "\" list"};
  return object[key];
}

std::vector<role_category> parse_categories(const nlohmann::json& root) {
  const auto& categories = list_field(root, "categories", "the schema");
  if (categories.empty() || categories.size() > max_categories) throw invalid{"a schema has 1 to 8 categories"};
  std::set<std::string> category_names, action_names{"upload", "download"};
  std::vector<role_category> out;
  for (const auto& c : categories) {
    role_category category;
    category.name = text_field(c, "name", "a category");
    if (!well_formed_name(category.name, 32))
      throw invalid{"category name '" + category.name + "' is not 1-32 characters of a-z, 0-9 and _"};
    if (!category_names.insert(category.name).second) throw invalid{"category '" + category.name + "' given twice"};
    const auto& levels = list_field(c, "levels", "category '" + category.name + "'");
    if (levels.empty() || levels.size() > max_levels)
      throw invalid{"category '" + category.name + "' has 1 to 8 levels"};
    category.levels.push_back("no_access");
    category.actions.emplace_back();
    for (const auto& l : levels) {
      auto name = text_field(l, "name", "a level of '" + category.name + "'");
      if (!well_formed_name(name, 32) || name == "no_access")
        throw invalid{"level name '" + name + "' is not 1-32 characters of a-z, 0-9 and _ (nor no_access)"};
      if (std::find(category.levels.begin(), category.levels.end(), name) != category.levels.end())
        throw invalid{"level '" + name + "' given twice in '" + category.name + "'"};
      std::vector<std::string> actions;
      for (const auto& a : list_field(l, "actions", "level '" + name + "'")) {
        if (!a.is_string()) throw invalid{"the actions of level '" + name + "' are texts"};
        auto action = a.get<std::string>();
        if (!well_formed_name(action, 64))
          throw invalid{"action '" + action + "' is not 1-64 characters of a-z, 0-9 and _"};
        if (!action_names.insert(action).second)
          throw invalid{"action '" + action + "' given twice (or is a flag's action)"};
        actions.push_back(action);
      }
      category.levels.push_back(name);
      category.actions.push_back(std::move(actions));
    }
    out.push_back(std::move(category));
  }
  if (action_names.size() - 2 > max_actions) throw invalid{"a schema has at most 256 actions"};
  return out;
}

}  // namespace

std::shared_ptr<const role_schema> schema_from_text(std::string_view text, failure* why) {
  if (auto builtin = role_schema::builtin(text)) return builtin;
  if (text.size() > max_text) {
    *why = failure{ErrorCode::invalid_argument, "a custom schema has at most 64 KiB"};
    return nullptr;
  }
  auto root = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) {
    *why = failure{ErrorCode::invalid_argument, "the schema is neither simple, categories nor well-formed JSON"};
    return nullptr;
  }
  try {
    return std::make_shared<const role_schema>("custom", parse_categories(root));
  } catch (const invalid& e) {
    *why = failure{ErrorCode::invalid_argument, "invalid schema: " + e.reason};
    return nullptr;
  }
}

}  // namespace roster::domain
