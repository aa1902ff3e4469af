// Runs the directory and its actors in-process over LMDB in a temporary
// directory, with a clock the test moves. Calls are synchronous.
#pragma once

#include <caf/all.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "actors/directory/directory_actor.hpp"
#include "actors/messages.hpp"
#include "actors/support/runtime.hpp"
#include "storage/disk_faults.hpp"
#include "storage/lmdb_store.hpp"
#include "support/faulty_storage.hpp"
#include "support/temp_dir.hpp"

namespace roster::testing {

using namespace roster::actors;

template <class T>
struct outcome {
  std::optional<T> value;
  std::optional<failure> error;
  bool ok() const { return value.has_value(); }
  ErrorCode code() const { return error ? error->code : static_cast<ErrorCode>(~0u); }
};

class actor_harness {
 public:
  explicit actor_harness(settings config = {});
  ~actor_harness();

  // Stops every actor and the store, then opens the same data again, as a
  // restart does.
  void restart();

  template <class R, class... Ts>
  outcome<R> call(Ts&&... xs) {
    outcome<R> out;
    caf::scoped_actor self{*system_};
    self->request(directory_, std::chrono::seconds(10), std::forward<Ts>(xs)...)
        .receive([&](R& r) { out.value = std::move(r); },
                 [&](caf::error& e) {
                   out.error = to_failure(e);
                   if (auto* debug = std::getenv("ROSTER_TEST_DEBUG"); debug && *debug)
                     std::fprintf(stderr, "caf error: %s\n", system_->render(e).c_str());
                   if (auto* debug = std::getenv("ROSTER_TEST_DEBUG"); debug && *debug)
                     std::fprintf(stderr, "call failed: %s\n", out.error->message.c_str());
                 });
    return out;
  }

  // For calls that answer an empty message on success.
  template <class... Ts>
  outcome<caf::unit_t> call_void(Ts&&... xs) {
    outcome<caf::unit_t> out;
    caf::scoped_actor self{*system_};
    self->request(directory_, std::chrono::seconds(10), std::forward<Ts>(xs)...)
        .receive([&]() { out.value = caf::unit; }, [&](caf::error& e) { out.error = to_failure(e); });
    return out;
  }

  // Conveniences for the common steps of a scenario.
  entity_id add_user(const std::string& username, platform_role role = platform_role::standard);
  entity_id create_team(entity_id manager, const std::string& name);
  entity_id invite_to_team(entity_id inviter, entity_id team, const std::string& invitee,
                           member_flags flags = {true, true});
  entity_id create_project(entity_id owner, const std::string& name, project_kind kind = project_kind::project);
  outcome<caf::unit_t> answer(entity_id acting, entity_id invitation, answer_kind answer);

  // A common scene: alice manages team "core", which bob joined by
  // accepting her invitation, and owns project "P", which grants the team
  // edit.
  struct team_project {
    entity_id alice, bob, team, project, invitation;
  };
  team_project team_with_project();
  outcome<bool> check(entity_id user, entity_id project, const std::string& action);
  outcome<inbox_view> inbox(entity_id user, inbox_cmd cmd = {});
  outcome<team_view> show_team(entity_id acting, entity_id team);

  static user_ref as(entity_id id) { return user_ref{id, {}}; }
  static user_ref service() { return user_ref{}; }

  // Sends without waiting for the answer.
  template <class... Ts>
  void send(Ts&&... xs) {
    caf::anon_send(directory_, std::forward<Ts>(xs)...);
  }

  // What the actors publish for other threads (the check index, user facts).
  const runtime& shared() const { return *runtime_; }

  manual_clock& time() { return clock_; }
  // Storage faults to inject (see faulty_storage).
  faulty_storage& storage_faults() { return *faults_; }
  // Faults below the store, where a disk would cause them (kept across restarts).
  storage::disk_faults& disk_faults() { return *disk_faults_; }

 private:
  void start();
  void stop();

  temp_dir dir_;
  settings config_;
  manual_clock clock_{1'700'000'000'000};
  std::unique_ptr<storage::lmdb_store> store_;
  std::unique_ptr<faulty_storage> faults_;
  std::shared_ptr<storage::disk_faults> disk_faults_ = std::make_shared<storage::disk_faults>();
  std::unique_ptr<runtime> runtime_;
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> system_;
  caf::actor directory_;
};

}  // namespace roster::testing
