#include "actors/directory/project_lookup.hpp"

#include <algorithm>
#include <memory>

#include "actors/invitations/inbox_delivery.hpp"
#include "actors/messages.hpp"
#include "actors/support/runtime.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

// How many projects are asked at once.
constexpr std::size_t batch_size = 64;

// The ids under `prefix` whose keys end in an id at `offset`.
void collect_ids(storage_port& storage, const std::string& prefix, std::vector<entity_id>& out) {
  storage.scan(prefix, [&](std::string_view key, std::string_view) {
    if (key.size() == prefix.size() + 8) out.push_back(keys::read_id(key.substr(prefix.size())));
  });
}

// The projects `user` may see, as far as the indexes tell: owned or directly
// granted, or granted to one of their teams, and every project of
// `whole_tenant`. Each is then asked.
std::vector<entity_id> candidates_of(storage_port& storage, entity_id user, std::optional<entity_id> whole_tenant) {
  std::vector<entity_id> projects;
  collect_ids(storage, keys::with_id('A', user) + "P", projects);
  std::vector<entity_id> teams;
  collect_ids(storage, keys::with_id('M', user) + "T", teams);
  for (auto team : teams) collect_ids(storage, keys::team(team) + "P", projects);
  if (whole_tenant)
    storage.scan("Q", [&](std::string_view key, std::string_view value) {
      if (records::decode_project(value).tenant == *whole_tenant) projects.push_back(keys::read_id(key.substr(1)));
    });
  std::sort(projects.begin(), projects.end());
  projects.erase(std::unique(projects.begin(), projects.end()), projects.end());
  return projects;
}

struct lookup_state {
  std::vector<entity_id> candidates;  // > after, in id order
  std::size_t position = 0;
  project_page page;
  std::uint32_t limit = 0;
};

void next_batch(caf::event_based_actor* self, const caf::actor& directory, entity_id user, const std::string& action,
                std::shared_ptr<lookup_state> st, caf::response_promise rp) {
  auto begin = st->position;
  auto count = std::min(batch_size, st->candidates.size() - begin);
  auto answers = std::make_shared<std::vector<project_match>>(count);
  await_all(
      self, count,
      [=](std::size_t i, std::function<void()> answered) {
        self->request(directory, internal_timeout, st->candidates[begin + i], project_match_msg{user, action})
            .then(
                [answers, i, answered](project_match& m) {
                  (*answers)[i] = std::move(m);
                  answered();
                },
                [answered](caf::error&) { answered(); });  // gone meanwhile: not listed
      },
      [=]() mutable {
        for (std::size_t i = 0; i < count; ++i) {
          if (!(*answers)[i].matched) continue;
          if (st->page.projects.size() == st->limit) {
            st->page.next = st->page.projects.back().id;
            rp.deliver(std::move(st->page));
            return self->quit();
          }
          st->page.projects.push_back(std::move((*answers)[i].info));
        }
        st->position = begin + count;
        if (st->position == st->candidates.size()) {
          rp.deliver(std::move(st->page));
          return self->quit();
        }
        next_batch(self, directory, user, action, st, rp);
      });
}

}  // namespace

caf::behavior project_lookup(caf::event_based_actor* self, runtime* rt, caf::actor directory, entity_id user,
                             lookup_reach reach) {
  bool everything = reach.everything;
  return {
      [=](const lookup_projects_cmd& cmd) -> caf::result<caf::message> {
        if (auto bad = check_page_limit(cmd.limit, max_lookup_page)) {
          self->quit();
          return to_error(*bad);
        }
        auto st = std::make_shared<lookup_state>();
        st->limit = cmd.limit;
        if (everything && cmd.action.empty()) {
          // Every live project has a listing entry: no need to ask them.
          rt->storage.scan("Q", [&](std::string_view key, std::string_view value) {
            if (st->page.next != no_entity || keys::read_id(key.substr(1)) <= cmd.after) return;
            if (st->page.projects.size() == st->limit)
              st->page.next = st->page.projects.back().id;
            else
              st->page.projects.push_back(records::decode_project(value));
          });
          self->quit();
          return caf::make_message(std::move(st->page));
        }
        if (everything)
          collect_ids(rt->storage, "Q", st->candidates);
        else
          st->candidates = candidates_of(rt->storage, user, reach.whole_tenant);
        st->candidates.erase(st->candidates.begin(),
                             std::upper_bound(st->candidates.begin(), st->candidates.end(), cmd.after));
        if (st->candidates.empty()) {
          self->quit();
          return caf::make_message(std::move(st->page));
        }
        auto rp = self->make_response_promise();
        next_batch(self, directory, user, cmd.action, st, rp);
        return rp;
      },
  };
}

}  // namespace roster::actors
