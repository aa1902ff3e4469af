#include "domain/role_schema.hpp"

#include <algorithm>
#include <stdexcept>

namespace roster::domain {

role_schema::role_schema(std::string name, std::vector<role_category> categories)
    : name_(std::move(name)), categories_(std::move(categories)) {
  if (categories_.size() > max_categories) throw std::invalid_argument("a schema has at most 8 categories");
  for (const auto& category : categories_)
    if (category.levels.size() > max_named_levels + 1 || category.actions.size() > category.levels.size())
      throw std::invalid_argument("category '" + category.name + "' has more than 8 levels besides no_access");
  for (std::size_t c = 0; c < categories_.size(); ++c)
    for (std::size_t l = 0; l < categories_[c].actions.size(); ++l)
      for (const auto& action : categories_[c].actions[l])
        actions_.push_back(
            {action, {action_requirement::kind::level, static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(l)}});
  actions_.push_back({"upload", {action_requirement::kind::upload, 0, 0}});
  actions_.push_back({"download", {action_requirement::kind::download, 0, 0}});
  std::sort(actions_.begin(), actions_.end(),
            [](const action_entry& a, const action_entry& b) { return a.name < b.name; });
}

std::shared_ptr<const role_schema> role_schema::simple() {
  static const auto schema = std::make_shared<const role_schema>(
      "simple", std::vector<role_category>{
                    {"project",
                     {"no_access", "view", "edit", "own"},
                     {{},
                      {"view_outputs", "view_activity", "download_results"},
                      {"view_files", "edit_content", "launch_runs", "edit_env_vars", "invite_view", "invite_edit"},
                      {"invite_own", "delete_content", "remove_collaborators"}}},
                });
  return schema;
}

std::shared_ptr<const role_schema> role_schema::categories() {
  static const auto schema = std::make_shared<const role_schema>(
      "categories",
      std::vector<role_category>{
          {"project",
           {"no_access", "data_provider", "viewer", "contributor", "administrator"},
           {{},
            {"create_connector"},
            {"view_resources"},
            {"link_data", "subscribe_notifications", "view_activity", "create_samples"},
            {"delete_data", "manage_notification_channels", "manage_team"}}},
          {"flow",
           {"no_access", "viewer", "contributor"},
           {{}, {"view_analyses"}, {"create_analyses", "create_pipelines", "edit_pipelines", "add_docker_image"}}},
          {"base",
           {"no_access", "viewer", "contributor"},
           {{},
            {"view_records", "click_links", "create_queries", "run_queries", "export_query", "save_query",
             "export_tables"},
            {"create_tables", "load_files"}}},
          {"bench",
           {"no_access", "contributor", "administrator"},
           {{},
            {"execute_notebook", "start_stop_workspace"},
            {"manage_workspaces", "install_tools", "build_image", "create_tool"}}},
      });
  return schema;
}

std::shared_ptr<const role_schema> role_schema::builtin(std::string_view name) {
  if (name == "simple") return simple();
  if (name == "categories") return categories();
  return nullptr;
}

std::optional<action_requirement> role_schema::find_action(std::string_view action) const {
  auto it = std::lower_bound(actions_.begin(), actions_.end(), action,
                             [](const action_entry& e, std::string_view a) { return e.name < a; });
  if (it == actions_.end() || it->name != action) return std::nullopt;
  return it->need;
}

std::optional<failure> role_schema::resolve(const std::vector<level_spec>& specs,
                                            std::vector<std::uint8_t>* levels) const {
  levels->assign(categories_.size(), 0);
  if (specs.empty()) return failure{ErrorCode::invalid_argument, "a level is required"};
  std::vector<bool> seen(categories_.size(), false);
  for (const auto& spec : specs) {
    std::size_t c = 0;
    if (spec.category.empty()) {
      if (categories_.size() != 1)
        return failure{ErrorCode::invalid_argument,
                       "this schema has several categories: give levels as CATEGORY=LEVEL"};
    } else {
      while (c < categories_.size() && categories_[c].name != spec.category) ++c;
      if (c == categories_.size())
        return failure{ErrorCode::invalid_argument, "no category '" + spec.category + "' in schema '" + name_ + "'"};
    }
    if (seen[c]) return failure{ErrorCode::invalid_argument, "category '" + categories_[c].name + "' given twice"};
    seen[c] = true;
    const auto& names = categories_[c].levels;
    auto it = std::find(names.begin(), names.end(), spec.level);
    if (it == names.end())
      return failure{ErrorCode::invalid_argument,
                     "no level '" + spec.level + "' in category '" + categories_[c].name + "'"};
    (*levels)[c] = static_cast<std::uint8_t>(it - names.begin());
  }
  return std::nullopt;
}

std::vector<std::uint8_t> role_schema::top_levels() const {
  std::vector<std::uint8_t> top;
  for (const auto& category : categories_) top.push_back(static_cast<std::uint8_t>(category.levels.size() - 1));
  return top;
}

}  // namespace roster::domain
