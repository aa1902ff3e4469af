// The client library's internals, shared by its sources: the state behind
// Client and Session, and the conversions between wire and library values.
// Includes the generated schema header: not installed.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/compat/tls.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "roster/client.hpp"
#include "roster/schema/roster.capnp.h"
#include "schema/framed_stream.hpp"

namespace roster::detail {

inline std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

inline Error from_wire(wire::Error::Reader e) {
  return Error{static_cast<ErrorCode>(e.getCode()), text(e.getMessage())};
}

// With TLS: the context, and the stream once its handshake verified the
// server (client/tls_client.cpp).
struct secured_stream {
  kj::Own<kj::TlsContext> context;
  kj::Own<kj::AsyncIoStream> stream;
};
Result<secured_stream> secure(kj::Own<kj::AsyncIoStream>& plain, const std::string& address, const TlsOptions& tls,
                              kj::WaitScope& wait);

inline Error broken(const kj::Exception& e) {
  return Error{ErrorCode::unavailable, std::string("connection failed: ") + e.getDescription().cStr()};
}

// How large a checkBulk request for these checks will be, to size its first
// segment: a request in one segment is read on the server without taking
// the reader's segment lock for every triple (Cap'n Proto's ReaderArena
// locks to find any segment after the first). Counted generously: a
// CheckTriple, its UserRef, and the texts; a hint, never a limit.
template <class Iterator>
capnp::MessageSize check_bulk_size(Iterator begin, Iterator end) {
  auto text_words = [](std::size_t bytes) { return (bytes + 1 + 7) / 8; };
  std::uint64_t words = 64;  // the call's own header and parameters
  for (auto it = begin; it != end; ++it)
    words += 3 + 3 + text_words(it->user.name.size()) + text_words(it->action.size());
  return capnp::MessageSize{words, 0};
}

inline void to_wire(const UserRef& ref, wire::UserRef::Builder out) {
  if (ref.name.empty())
    out.setId(ref.id);
  else
    out.setName(ref.name);
}

inline void to_wire(const TenantRef& ref, wire::TenantRef::Builder out) {
  if (ref.name.empty())
    out.setId(ref.id);
  else
    out.setName(ref.name);
}

inline void to_wire(const ProjectAccess& access, wire::ProjectAccess::Builder out) {
  auto levels = out.initLevels(static_cast<unsigned>(access.levels.size()));
  for (unsigned i = 0; i < levels.size(); ++i) {
    levels[i].setCategory(access.levels[i].category);
    levels[i].setLevel(access.levels[i].level);
  }
  out.setUpload(access.upload);
  out.setDownload(access.download);
  out.setExpires(access.expires);
}

inline Invitation from_wire(wire::Invitation::Reader r) {
  Invitation inv;
  inv.id = r.getId();
  inv.target_kind = static_cast<TargetKind>(r.getTargetKind());
  inv.target = r.getTarget();
  inv.inviter = r.getInviter();
  inv.invitee = r.getInvitee();
  inv.invitee_email = text(r.getInviteeEmail());
  auto access = r.getAccess();
  if (access.isTeam()) {
    inv.team_flags = MemberFlags{access.getTeam().getViewDatasets(), access.getTeam().getViewCode()};
  } else {
    auto p = access.getProject();
    for (auto l : p.getLevels()) inv.project_access.levels.push_back(Level{text(l.getCategory()), text(l.getLevel())});
    inv.project_access.upload = p.getUpload();
    inv.project_access.download = p.getDownload();
    inv.project_access.expires = p.getExpires();
  }
  inv.message = text(r.getMessage());
  inv.created = r.getCreated();
  inv.expires = r.getExpires();
  inv.status = static_cast<InvitationStatus>(r.getStatus());
  inv.reminders = r.getReminders();
  inv.reminded_at = r.getRemindedAt();
  inv.target_name = text(r.getTargetName());
  inv.inviter_name = text(r.getInviterName());
  inv.invitee_name = text(r.getInviteeName());
  inv.membership_expires = r.getMembershipExpires();
  return inv;
}

inline Notification from_wire(wire::Notification::Reader r) {
  return Notification{r.getId(),         static_cast<NotificationKind>(r.getKind()),
                      r.getRead(),       r.getTime(),
                      r.getInvitation(), r.getSubject(),
                      r.getActor()};
}

inline std::vector<CheckOutcome> from_wire(capnp::List<wire::CheckOutcome>::Reader list) {
  std::vector<CheckOutcome> out;
  out.reserve(list.size());
  for (auto o : list) {
    if (o.isError())
      out.push_back(CheckOutcome{false, static_cast<ErrorCode>(o.getError())});
    else
      out.push_back(CheckOutcome{o.getAllowed(), std::nullopt});
  }
  return out;
}

inline User from_wire(wire::User::Reader u) {
  return User{u.getId(),
              text(u.getUsername()),
              text(u.getEmail()),
              text(u.getName()),
              static_cast<PlatformRole>(u.getRole()),
              u.getTeamManager(),
              u.getRemoved(),
              u.getTenant(),
              u.getTenantAdmin()};
}

inline TeamMember from_wire(wire::TeamMember::Reader m) {
  return TeamMember{m.getUser(), text(m.getUsername()), static_cast<TeamRole>(m.getRole()),
                    MemberFlags{m.getFlags().getViewDatasets(), m.getFlags().getViewCode()}, m.getExpires()};
}

inline Team from_wire(wire::Team::Reader r) {
  Team team;
  team.id = r.getId();
  team.name = text(r.getName());
  team.icon = text(r.getIcon());
  team.admission = static_cast<Admission>(r.getAdmission());
  for (auto m : r.getMembers()) team.members.push_back(from_wire(m));
  for (auto inv : r.getInvitations()) team.invitations.push_back(from_wire(inv));
  team.tenant = r.getTenant();
  return team;
}

inline Project from_wire(wire::Project::Reader r) {
  return Project{r.getId(),      text(r.getName()),   static_cast<ProjectKind>(r.getKind()),
                 r.getOwner(),   text(r.getSchema()), static_cast<Policy>(r.getPolicy()),
                 r.getCreated(), r.getTenant()};
}

inline Inbox from_wire(wire::Inbox::Reader r) {
  Inbox inbox;
  inbox.unread = r.getUnread();
  for (auto inv : r.getInvitations()) inbox.invitations.push_back(from_wire(inv));
  for (auto n : r.getNotifications()) inbox.notifications.push_back(from_wire(n));
  inbox.next = r.getNext();
  return inbox;
}

}  // namespace roster::detail

namespace roster {

namespace detail {
// KJ allows one event loop per thread; every Client a thread opens shares it
// (client/thread_loop.cpp), so one thread can drive many connections — the
// loop waits on all of their sockets in one epoll_wait. Lives while any of
// the thread's Clients does.
std::shared_ptr<kj::AsyncIoContext> this_threads_loop();
}  // namespace detail

struct Client::Impl {
  std::shared_ptr<kj::AsyncIoContext> loop = detail::this_threads_loop();
  kj::AsyncIoContext& io = *loop;
  // Built in this order, destroyed in reverse: the RPC system first.
  kj::Own<kj::TlsContext> tls;  // with TLS: the context the stream was made by
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<framed_stream> frames;
  kj::Own<capnp::TwoPartyVatNetwork> network;
  kj::Own<capnp::RpcSystem<capnp::rpc::twoparty::VatId>> rpc;
  wire::Service::Client service{nullptr};
  std::size_t in_flight = 0;
  kj::Own<kj::PromiseFulfiller<void>> idle;  // set while run_until_idle() waits
  // C7: the highest revision an answer carried, and the one reads ask for.
  std::uint64_t revision = 0;
  std::uint64_t read_revision = 0;

  struct ignore_errors final : kj::TaskSet::ErrorHandler {
    void taskFailed(kj::Exception&&) override {}  // each task reports its own failure
  } error_handler;
  kj::TaskSet tasks{error_handler};

  // check_async calls of this loop turn, sent together when it ends
  // (client/check_batching.cpp).
  struct pending_check {
    UserRef user;
    Id project;
    std::string action;
    std::function<void(Result<bool>)> done;
  };
  std::vector<pending_check> pending_checks;
  void queue_check(pending_check check);
  void send_pending_checks();

  void started() { ++in_flight; }
  void finished() {
    if (--in_flight == 0 && idle) idle->fulfill();
  }
};

namespace detail {

// Whether a result struct carries a revision (the writes' results do).
template <class R, class = void>
struct carries_revision : std::false_type {};
template <class R>
struct carries_revision<R, std::void_t<decltype(std::declval<R&>().getRevision())>> : std::true_type {};

// C7: the revision a write's answer carries, kept as the client's highest.
template <class Result>
void note_revision(Client::Impl& impl, Result result) {
  if constexpr (carries_revision<Result>::value) impl.revision = std::max(impl.revision, result.getRevision());
}

// Sends `request`, waits, and turns the reply's `result` union into a Result.
template <class T, class Request, class Extract>
Result<T> call(Client::Impl& impl, Request&& request, Extract extract) {
  try {
    auto response = request.send().wait(impl.io.waitScope);
    auto result = response.getResult();
    if (result.isError()) return from_wire(result.getError());
    note_revision(impl, result);
    return extract(result);
  } catch (const kj::Exception& e) {
    return broken(e);
  }
}

template <class Request>
Result<void> call_void(Client::Impl& impl, Request&& request) {
  try {
    auto response = request.send().wait(impl.io.waitScope);
    auto result = response.getResult();
    if (result.isError()) return from_wire(result.getError());
    note_revision(impl, result);
    return {};
  } catch (const kj::Exception& e) {
    return broken(e);
  }
}

// Sends `request` without waiting; `done` gets extract(result) or the error.
template <class T, class Request, class Extract>
void call_async(Client::Impl& impl, Request&& request, Extract extract, std::function<void(Result<T>)> done) {
  impl.started();
  impl.tasks.add(request.send().then(
      [&impl, extract, done](auto&& response) {
        impl.finished();
        auto result = response.getResult();
        if (result.isError()) return done(from_wire(result.getError()));
        note_revision(impl, result);
        done(extract(result));
      },
      [&impl, done](kj::Exception&& e) {
        impl.finished();
        done(broken(e));
      }));
}

}  // namespace detail

struct Session::Impl {
  Client::Impl* client;
  wire::Session::Client session;
};

}  // namespace roster
