#include "support/actor_harness.hpp"

#include <stdexcept>

namespace roster::testing {

actor_harness::actor_harness(settings config) : config_(config) { start(); }

actor_harness::~actor_harness() { stop(); }

void actor_harness::start() {
  storage::store_options options{dir_.path() + "/data"};
  options.faults = disk_faults_;
  store_ = std::make_unique<storage::lmdb_store>(std::move(options));
  faults_ = std::make_unique<faulty_storage>(*store_);
  runtime_ = std::make_unique<runtime>(*faults_, clock_, config_);
  cfg_ = std::make_unique<caf::actor_system_config>();
  cfg_->add_message_types<caf::id_block::roster>();
  cfg_->set("logger.verbosity", caf::atom("quiet"));
  system_ = std::make_unique<caf::actor_system>(*cfg_);
  directory_ = spawn_directory(*system_, runtime_.get());
}

void actor_harness::stop() {
  caf::anon_send_exit(directory_, caf::exit_reason::user_shutdown);
  directory_ = nullptr;
  system_.reset();
  cfg_.reset();
  runtime_.reset();
  faults_.reset();
  store_.reset();
}

void actor_harness::restart() {
  stop();
  start();
}

namespace {
template <class T>
T must(outcome<T> out, const char* what) {
  if (!out.ok()) throw std::runtime_error(std::string(what) + " failed: " + out.error->message);
  return *out.value;
}
}  // namespace

entity_id actor_harness::add_user(const std::string& username, platform_role role) {
  return must(call<entity_id>(service(), register_user_cmd{username, username + "@example.org", "", role}), "add_user");
}

entity_id actor_harness::create_team(entity_id manager, const std::string& name) {
  return must(call<entity_id>(as(manager), create_team_cmd{name, ""}), "create_team");
}

entity_id actor_harness::invite_to_team(entity_id inviter, entity_id team, const std::string& invitee,
                                        member_flags flags) {
  return must(call<entity_id>(as(inviter), team_invite_cmd{team, invitee, flags, ""}), "invite_to_team");
}

entity_id actor_harness::create_project(entity_id owner, const std::string& name, project_kind kind) {
  return must(call<entity_id>(as(owner), create_project_cmd{name, kind, "simple", resolution_policy::highest}),
              "create_project");
}

actor_harness::team_project actor_harness::team_with_project() {
  team_project scene;
  scene.alice = add_user("alice");
  scene.bob = add_user("bob");
  scene.team = create_team(scene.alice, "core");
  scene.invitation = invite_to_team(scene.alice, scene.team, "bob", {true, true});
  must(answer(scene.bob, scene.invitation, answer_kind::accept), "accept");
  scene.project = create_project(scene.alice, "P");
  must(call_void(as(scene.alice), grant_team_cmd{scene.project, scene.team, {{{"", "edit"}}, false, false}}),
       "grant_team");
  return scene;
}

outcome<caf::unit_t> actor_harness::answer(entity_id acting, entity_id invitation, answer_kind answer) {
  return call_void(as(acting), answer_invitation_cmd{invitation, answer});
}

outcome<bool> actor_harness::check(entity_id user, entity_id project, const std::string& action) {
  return call<bool>(check_cmd{as(user), project, action});
}

outcome<inbox_view> actor_harness::inbox(entity_id user, inbox_cmd cmd) { return call<inbox_view>(as(user), cmd); }

outcome<team_view> actor_harness::show_team(entity_id acting, entity_id team) {
  return call<team_view>(as(acting), team_show_cmd{team});
}

}  // namespace roster::testing
