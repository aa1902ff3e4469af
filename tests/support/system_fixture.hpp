// An actor system for tests of single actors and of what they share, whose
// actors are told to exit at the end of the test (the system's destructor
// waits for every actor).
#pragma once

#include <caf/all.hpp>

#include <memory>
#include <utility>
#include <vector>

#include "actors/messages.hpp"

namespace roster::testing {

// Answers every question at once, with nothing: as the inbox mirrors and
// the projects' member copies answer. Class-based, as system_fixture's
// spawn<Actor>() says why.
class prompt_answerer : public caf::event_based_actor {
 public:
  using caf::event_based_actor::event_based_actor;
  caf::behavior make_behavior() override {
    return {[](roster::actors::quiescent_atom) {}};
  }
};

struct system_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;
  std::vector<caf::actor> spawned;

  system_fixture() {
    cfg.add_message_types<caf::id_block::roster>();
    cfg.set("logger.verbosity", caf::atom("quiet"));
    system = std::make_unique<caf::actor_system>(cfg);
  }
  ~system_fixture() {
    for (auto& a : spawned) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    spawned.clear();
    system.reset();
  }

  template <class F, class... Ts>
  caf::actor spawn(F fun, Ts&&... xs) {
    return keep(system->spawn(fun, std::forward<Ts>(xs)...));
  }
  // Class-based actors: CAF 0.17 spawns a function actor given no arguments
  // by dereferencing an empty argument pointer (UBSan reports it).
  template <class Actor>
  caf::actor spawn() {
    return keep(system->spawn<Actor>());
  }
  caf::actor keep(caf::actor a) {
    spawned.push_back(a);
    return a;
  }
};

}  // namespace roster::testing
