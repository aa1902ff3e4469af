#include "server/change_feed.hpp"

#include <utility>
#include <vector>

#include "server/wire_convert.hpp"
#include "storage/changes.hpp"

namespace roster::server {
namespace {

// At most this many records are read for one call to the watcher (whole
// group commits, so a call may carry a few more). A watcher that has seen
// everything, or was last sent less than that, looks again this much later:
// under a steady trickle of writes it gets one call per interval carrying
// all of them, not one per group commit.
constexpr std::size_t records_per_call = 2000;
constexpr auto idle_poll = 10 * kj::MILLISECONDS;

struct dated_change {
  std::uint64_t revision;
  storage::change change;
};

void fill(const dated_change& dated, wire::Change::Builder out) {
  out.setRevision(dated.revision);
  out.setRemoved(dated.change.removed);
  std::visit(
      [&](const auto& what) {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, actors::user_profile>) {
          to_wire(what, out.initUser());
        } else if constexpr (std::is_same_v<T, actors::team_info>) {
          auto team = out.initTeam();
          team.setId(what.id);
          team.setName(what.name);
          team.setIcon(what.icon);
          team.setAdmission(static_cast<wire::Admission>(what.admission_mode));
          team.setTenant(what.tenant);
        } else if constexpr (std::is_same_v<T, storage::member_change>) {
          auto member = out.initMember();
          member.setTeam(what.team);
          auto m = member.initMember();
          m.setUser(what.member.user);
          m.setUsername(what.member.username);
          m.setRole(static_cast<wire::TeamRole>(what.member.role));
          m.initFlags().setViewDatasets(what.member.flags.view_datasets);
          m.getFlags().setViewCode(what.member.flags.view_code);
          m.setExpires(what.member.expires);
        } else if constexpr (std::is_same_v<T, actors::invitation>) {
          to_wire(what, out.initInvitation());
        } else if constexpr (std::is_same_v<T, actors::project_info>) {
          to_wire(what, out.initProject());
        } else {
          static_assert(std::is_same_v<T, storage::grant_change>);
          auto grant = out.initGrant();
          grant.setProject(what.project);
          if (what.to_team)
            grant.initSubject().setTeam(what.subject);
          else
            grant.initSubject().initUser().setId(what.subject);
          auto levels = grant.initLevels(static_cast<unsigned>(what.access.levels.size()));
          for (unsigned i = 0; i < levels.size(); ++i) levels.set(i, what.access.levels[i]);
          grant.setUpload(what.access.upload);
          grant.setDownload(what.access.download);
          grant.setExpires(what.access.expires);
        }
      },
      dated.change.what);
}

class change_follower {
 public:
  change_follower(std::unique_ptr<storage::change_reader> reader, wire::Watcher::Client watcher, kj::Timer& timer)
      : reader_(std::move(reader)), watcher_(kj::mv(watcher)), timer_(timer) {}

  kj::Promise<actors::failure> next() {
    auto from = reader_->position();
    std::vector<dated_change> changes;
    std::size_t records = 0;
    auto stopped = reader_->read(records_per_call, [&](std::uint64_t revision, const storage::record_write& record) {
      ++records;
      if (auto change = storage::change_of(record)) changes.push_back({revision, std::move(*change)});
    });
    if (stopped) {
      return actors::failure{stopped->window_passed ? ErrorCode::revision_too_old : ErrorCode::unavailable,
                             stopped->why};
    }
    if (changes.empty()) {
      // Frames that changed nothing a watcher sees (notifications, say): on
      // at once, yielding to the loop. Nothing new: look again shortly.
      auto more = reader_->position() != from ? kj::evalLater([] {}) : timer_.afterDelay(idle_poll);
      return more.then([this] { return next(); });
    }
    auto request = watcher_.changesRequest();
    auto out = request.initChanges(static_cast<unsigned>(changes.size()));
    for (unsigned i = 0; i < out.size(); ++i) fill(changes[i], out[i]);
    bool catching_up = records >= records_per_call;
    return request.send().then([this, catching_up](auto&&) {
      if (catching_up) return next();
      return timer_.afterDelay(idle_poll).then([this] { return next(); });
    });
  }

 private:
  std::unique_ptr<storage::change_reader> reader_;
  wire::Watcher::Client watcher_;
  kj::Timer& timer_;
};

}  // namespace

kj::Promise<actors::failure> follow_changes(std::unique_ptr<storage::change_reader> reader,
                                            wire::Watcher::Client watcher, kj::Timer& timer) {
  auto follower = kj::heap<change_follower>(std::move(reader), kj::mv(watcher), timer);
  auto following = follower->next();
  return following.attach(kj::mv(follower));
}

}  // namespace roster::server
