#include "server/gateway.hpp"

#include <kj/debug.h>

#include "actors/support/runtime.hpp"
#include "server/change_feed.hpp"
#include "server/gateway_calls.hpp"
#include "server/online_backup.hpp"

namespace roster::server {
namespace {

using namespace gateway_detail;

class service_impl final : public wire::Service::Server {
 public:
  service_impl(caller from, gateway_context& gateway, token_scope scope)
      : from_(std::move(from)), gateway_(gateway), scope_(scope) {}

  DispatchCallResult dispatchCall(uint64_t interface_id, uint16_t method, any_call_context context) override {
    return observe_call(from_.observer, rpc_interface::service, method, context,
                        [&]() { return wire::Service::Server::dispatchCall(interface_id, method, context); });
  }

  kj::Promise<void> ping(PingContext context) override {
    if (!authenticated()) return refuse(context);
    context.getResults().initResult().setOk();
    return kj::READY_NOW;
  }

  kj::Promise<void> actAs(ActAsContext context) override {
    auto acting = from_wire(context.getParams().getUser());
    if (acting.is_service()) acting.name = "\x01";  // never a valid username: acting as "nobody"
    context.getResults().setSession(make_session(from_, std::move(acting), scope_));
    return kj::READY_NOW;
  }

  kj::Promise<void> asService(AsServiceContext context) override {
    context.getResults().setSession(make_session(from_, user_ref{}, scope_));
    return kj::READY_NOW;
  }

  kj::Promise<void> addUser(AddUserContext context) override {
    if (!authenticated()) return refuse(context);
    auto refused = [&](ErrorCode code, std::string why) {
      to_wire(actors::failure{code, std::move(why)}, context.getResults().initResult().initError());
      return kj::READY_NOW;
    };
    if (scope_ == token_scope::users)
      return refused(ErrorCode::permission_denied,
                     "this service token acts only as users; adding users needs an admin token");
    auto p = context.getParams();
    actors::register_user_cmd cmd{text(p.getUsername()), text(p.getEmail()), text(p.getDisplayName()),
                                  static_cast<actors::platform_role>(p.getRole()), from_wire(p.getTenant())};
    // N5: into the token's tenant only (an unset tenant names it).
    if (from_.tenant_scope && cmd.role == actors::platform_role::admin)
      return refused(ErrorCode::permission_denied, "a tenant's service token adds no platform admins");
    if (auto outside = pin_to_tenant(from_, cmd.tenant)) return refused(outside->code, outside->message);
    return ask(from_, fill_id(from_, context), user_ref{}, cmd);
  }

  // N1: tenants are the service's, with an admin token.
  kj::Promise<void> createTenant(CreateTenantContext context) override {
    if (!admin_only(context, "administering tenants")) return kj::READY_NOW;
    actors::tenant_create_cmd cmd{text(context.getParams().getTenantName())};
    return ask(from_, fill_id(from_, context), user_ref{}, cmd);
  }

  kj::Promise<void> renameTenant(RenameTenantContext context) override {
    if (!admin_only(context, "administering tenants")) return kj::READY_NOW;
    auto p = context.getParams();
    actors::tenant_rename_cmd cmd{from_wire(p.getTenant()), text(p.getNewName())};
    return ask(from_, fill_void(from_, context), user_ref{}, cmd);
  }

  kj::Promise<void> deleteTenant(DeleteTenantContext context) override {
    if (!admin_only(context, "administering tenants")) return kj::READY_NOW;
    actors::tenant_delete_cmd cmd{from_wire(context.getParams().getTenant())};
    return ask(from_, fill_void(from_, context), user_ref{}, cmd);
  }

  kj::Promise<void> listTenants(ListTenantsContext context) override {
    if (!admin_only(context, "administering tenants")) return kj::READY_NOW;
    auto fill = fill_value<actors::tenant_list>(context, [](const actors::tenant_list& list, auto result) {
      auto out = result.initTenants(static_cast<unsigned>(list.tenants.size()));
      for (unsigned i = 0; i < out.size(); ++i) to_wire(list.tenants[i], out[i]);
    });
    return ask(from_, fill, user_ref{}, actors::tenant_list_cmd{});
  }

  kj::Promise<void> check(CheckContext context) override {
    if (!authenticated()) return refuse(context);
    return at_revision(from_, context, [this](CheckContext& c) { return answer_check(c); });
  }

  kj::Promise<void> checkBulk(CheckBulkContext context) override {
    if (!authenticated()) return refuse(context);
    return at_revision(from_, context, [this](CheckBulkContext& c) { return answer_check_bulk(c); });
  }

  kj::Promise<void> explain(ExplainContext context) override {
    if (!authenticated()) return refuse(context);
    return at_revision(from_, context, [this](ExplainContext& c) { return answer_explain(c); });
  }

  kj::Promise<void> lookupProjects(LookupProjectsContext context) override {
    if (!authenticated()) return refuse(context);
    return at_revision(from_, context, [this](LookupProjectsContext& c) { return answer_lookup_projects(c); });
  }

  kj::Promise<void> lookupUsers(LookupUsersContext context) override {
    if (!authenticated()) return refuse(context);
    return at_revision(from_, context, [this](LookupUsersContext& c) { return answer_lookup_users(c); });
  }

  kj::Promise<void> answer_check(CheckContext context) {
    auto p = context.getParams();
    if (from_.tenant_scope && !(p.getUser().isId() && published_within_tenant(p.getUser().getId(), p.getProject()))) {
      if (auto refused = beyond_tenant(from_, actors::check_cmd{from_wire(p.getUser()), p.getProject(), {}})) {
        to_wire(*refused, context.getResults().initResult().initError());
        return kj::READY_NOW;
      }
    }
    if (auto allowed = published_answer(p.getUser(), p.getProject(), p.getAction())) {
      context.getResults().initResult().setAllowed(*allowed);
      return kj::READY_NOW;
    }
    auto fill = fill_value<bool>(context, [](bool allowed, auto result) { result.setAllowed(allowed); });
    return ask(from_, fill, actors::check_cmd{from_wire(p.getUser()), p.getProject(), text(p.getAction())});
  }

  kj::Promise<void> answer_check_bulk(CheckBulkContext context) {
    auto checks = context.getParams().getChecks();
    if (checks.size() > actors::max_bulk_checks) {
      to_wire(actors::failure{ErrorCode::invalid_argument, "at most 10,000 checks in one call"},
              context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    // The answers in one segment, which the client reads without the
    // reader's segment lock (a word an outcome, and the result around them).
    context.getResults(capnp::MessageSize{checks.size() + 16, 0});
    // Those the published index answers are answered here; the rest go to
    // the actors in one message, and the two are merged in order.
    auto answers = std::make_shared<actors::check_bulk_result>();
    answers->outcomes.resize(checks.size());
    std::vector<unsigned> asked;
    actors::check_bulk_cmd cmd;
    const auto& index = gateway_.actors.checks;
    // Each triple's ids, read from the message once: the prefetch stages
    // and the answer come back to each of them five times.
    struct triple_ids {
      bool by_id;  // else the user is named, and only the actors answer
      actors::entity_id user;
      actors::entity_id project;
    };
    std::vector<triple_ids> ids;
    ids.reserve(checks.size());
    for (auto c : checks) {
      auto user = c.getUser();
      ids.push_back({user.isId(), user.isId() ? user.getId() : actors::no_entity, c.getProject()});
    }
    for (unsigned i = 0; i < checks.size(); ++i) {
      if (i + cells_ahead < ids.size() && ids[i + cells_ahead].by_id)
        index.prefetch_cells(ids[i + cells_ahead].user, ids[i + cells_ahead].project, gateway_.actors.facts);
      if (i + views_ahead < ids.size()) index.prefetch_view(ids[i + views_ahead].project);
      if (i + grants_ahead < ids.size()) index.prefetch_grants(ids[i + grants_ahead].project);
      if (i + entries_ahead < ids.size() && ids[i + entries_ahead].by_id)
        index.prefetch_entry(ids[i + entries_ahead].user, ids[i + entries_ahead].project);
      auto c = checks[i];
      if (from_.tenant_scope && !(ids[i].by_id && published_within_tenant(ids[i].user, ids[i].project)) &&
          beyond_tenant(from_, actors::check_cmd{from_wire(c.getUser()), ids[i].project, {}})) {
        answers->outcomes[i] = {false, true, ErrorCode::not_found};  // N5
        continue;
      }
      auto allowed = ids[i].by_id ? published_answer(ids[i].user, ids[i].project, c.getAction()) : std::nullopt;
      if (allowed) {
        answers->outcomes[i].allowed = *allowed;
      } else {
        asked.push_back(i);
        cmd.checks.push_back(actors::check_cmd{from_wire(c.getUser()), c.getProject(), text(c.getAction())});
      }
    }
    if (cmd.checks.empty()) {
      write_outcomes(*answers, context.getResults().initResult());
      return kj::READY_NOW;
    }
    auto fill = fill_value<actors::check_bulk_result>(
        context, [answers, asked = std::move(asked)](const auto& part, auto result) {
          for (std::size_t k = 0; k < asked.size() && k < part.outcomes.size(); ++k)
            answers->outcomes[asked[k]] = part.outcomes[k];
          write_outcomes(*answers, result);
        });
    return ask(from_, fill, std::move(cmd));
  }

  kj::Promise<void> answer_explain(ExplainContext context) {
    auto p = context.getParams();
    auto fill = fill_value<actors::explanation>(
        context, [](const auto& e, auto result) { to_wire(e, result.initExplanation()); });
    return ask(from_, fill, actors::explain_cmd{from_wire(p.getUser()), p.getProject()});
  }

  kj::Promise<void> answer_lookup_projects(LookupProjectsContext context) {
    auto p = context.getParams();
    auto fill = fill_value<actors::project_page>(context, [from = from_](auto page, auto result) {
      keep_within_tenant(from, page);
      to_wire(page, result.initPage());
    });
    return ask(from_, fill,
               actors::lookup_projects_cmd{from_wire(p.getUser()), text(p.getAction()), p.getLimit(), p.getAfter()});
  }

  kj::Promise<void> answer_lookup_users(LookupUsersContext context) {
    auto p = context.getParams();
    auto fill =
        fill_value<actors::user_page>(context, [](const auto& page, auto result) { to_wire(page, result.initPage()); });
    return ask(from_, fill, actors::lookup_users_cmd{p.getProject(), text(p.getAction()), p.getLimit(), p.getAfter()});
  }

  kj::Promise<void> backup(BackupContext context) override {
    if (!authenticated()) return refuse(context);
    if (scope_ != token_scope::admin) {
      to_wire(actors::failure{ErrorCode::permission_denied, "backups need an admin service token"},
              context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    // The copy runs on the backup's own thread: it leaves its outcome here
    // and wakes this loop through a cross-thread fulfiller (which orders
    // the two).
    auto outcome = std::make_shared<std::optional<actors::failure>>();
    // The copy holds every change acknowledged before the call.
    auto revision = gateway_.actors.storage.revision();
    auto finished = kj::newPromiseAndCrossThreadFulfiller<void>();
    auto fulfiller = std::make_shared<kj::Own<kj::CrossThreadPromiseFulfiller<void>>>(kj::mv(finished.fulfiller));
    auto refused = gateway_.backups.start(text(context.getParams().getDirectory()),
                                          [outcome, fulfiller](std::optional<actors::failure> done) {
                                            *outcome = std::move(done);
                                            (*fulfiller)->fulfill();
                                          });
    if (refused) {
      to_wire(*refused, context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    return finished.promise.then([context, outcome, revision]() mutable {
      auto result = context.getResults().initResult();
      if (*outcome) return to_wire(**outcome, result.initError());
      result.setOk();
      result.setRevision(revision);
    });
  }

  kj::Promise<void> watch(WatchContext context) override {
    if (!authenticated()) return refuse(context);
    auto refused = [&](ErrorCode code, std::string why) {
      to_wire(actors::failure{code, std::move(why)}, context.getResults().initResult().initError());
      return kj::READY_NOW;
    };
    // Every change of every user, team and project: the service's alone.
    if (scope_ != token_scope::admin)
      return refused(ErrorCode::permission_denied, "watching changes needs an admin service token");
    auto p = context.getParams();
    auto& storage = gateway_.actors.storage;
    auto now = storage.revision();
    auto after = p.getFromNow() ? now : p.getAfter();
    if (after > now) {
      return refused(ErrorCode::revision_not_reached,
                     "revision " + std::to_string(after) + " is ahead of the server's (" + std::to_string(now) + ")");
    }
    auto reader = storage.changes_after(after);
    if (!reader) {
      return refused(ErrorCode::revision_too_old, "the changes after revision " + std::to_string(after) +
                                                      " are no longer kept; watch from the present (or " +
                                                      "from a newer revision) after reading the current state");
    }
    // A watch lasts until its caller cancels it.
    context.allowCancellation();
    return follow_changes(std::move(reader), p.getWatcher(), gateway_.timer)
        .then([context](const actors::failure& ended) mutable {
          to_wire(ended, context.getResults().initResult().initError());
        });
  }

 private:
  bool authenticated() const { return scope_ != token_scope::none; }

  // False, with the refusal answered, for a token without admin scope: the
  // call (`what`) is a server-wide administrator's.
  template <class Context>
  bool admin_only(Context& context, const char* what) {
    if (!authenticated()) {
      refuse(context);
      return false;
    }
    if (scope_ == token_scope::admin) return true;
    to_wire(actors::failure{ErrorCode::permission_denied, std::string(what) + " needs an admin service token"},
            context.getResults().initResult().initError());
    return false;
  }

  // How far ahead of the check it answers a bulk call starts loading the
  // index's cells, the project views the cells point to, the grants the
  // views point to, and the user's entry in those grants (check_index).
  static constexpr unsigned cells_ahead = 24;
  static constexpr unsigned views_ahead = 16;
  static constexpr unsigned grants_ahead = 8;
  static constexpr unsigned entries_ahead = 4;

  template <class Context>
  kj::Promise<void> refuse(Context& context) {
    unauthenticated(context.getResults().initResult());
    return kj::READY_NOW;
  }

  // N5: whether the published state alone shows a check inside the
  // token's tenant — the project's and the user's tenant both its own —
  // so that a tenant-scoped check stays one lookup in published state;
  // anything else (a guest, a project never active) reads storage.
  bool published_within_tenant(actors::entity_id user, actors::entity_id project) const {
    auto tenant = from_.tenant_scope;
    return gateway_.actors.checks.project_tenant(project) == tenant && gateway_.actors.facts.tenant_of(user) == tenant;
  }

  std::optional<bool> published_answer(wire::UserRef::Reader user, std::uint64_t project,
                                       capnp::Text::Reader action) const {
    if (!user.isId()) return std::nullopt;
    return published_answer(user.getId(), project, action);
  }
  std::optional<bool> published_answer(actors::entity_id user, std::uint64_t project,
                                       capnp::Text::Reader action) const {
    return gateway_.actors.checks.try_check(user, project, std::string_view(action.cStr(), action.size()),
                                            gateway_.actors.facts);
  }

  static void write_outcomes(const actors::check_bulk_result& bulk, wire::CheckBulkResult::Builder result) {
    auto out = result.initOutcomes(static_cast<unsigned>(bulk.outcomes.size()));
    for (unsigned i = 0; i < out.size(); ++i) {
      if (bulk.outcomes[i].failed)
        out[i].setError(static_cast<wire::ErrorCode>(bulk.outcomes[i].code));
      else
        out[i].setAllowed(bulk.outcomes[i].allowed);
    }
  }

  caller from_;
  gateway_context& gateway_;
  token_scope scope_;
};

// One per connection: every service it hands out shares the connection's
// limit of calls in flight, however many times the peer authenticates.
class bootstrap_impl final : public wire::Bootstrap::Server {
 public:
  explicit bootstrap_impl(gateway_context& gateway)
      : gateway_(gateway), from_{gateway.bridge,
                                 gateway.actors,
                                 std::make_shared<connection_calls>(gateway.max_in_flight_per_connection),
                                 gateway.observer,
                                 gateway.timer,
                                 gateway.revision_wait} {}

  DispatchCallResult dispatchCall(uint64_t interface_id, uint16_t method, any_call_context context) override {
    return observe_call(from_.observer, rpc_interface::bootstrap, method, context,
                        [&]() { return wire::Bootstrap::Server::dispatchCall(interface_id, method, context); });
  }

  kj::Promise<void> authenticate(AuthenticateContext context) override {
    const auto* token = match_token(text(context.getParams().getToken()), gateway_.tokens);
    auto scope = token ? token->scope : token_scope::none;
    auto from = from_;
    std::optional<actors::failure> refusal;
    if (scope == token_scope::tenant) {
      // N5: the tenant is looked up as the client connects (a tenant
      // created since the server started is found; one deleted is not).
      if (auto tenant = actors::find_tenant(gateway_.actors.storage, token->tenant)) {
        from.tenant_scope = tenant->id;
      } else {
        scope = token_scope::none;
        refusal = actors::failure{ErrorCode::unauthenticated,
                                  "the service token's tenant '" + token->tenant + "' does not exist"};
      }
    }
    auto results = context.getResults();
    results.setService(kj::heap<service_impl>(from, gateway_, scope));
    if (refusal)
      to_wire(*refusal, results.initStatus().initError());
    else if (scope != token_scope::none)
      results.initStatus().setOk();
    else
      unauthenticated(results.initStatus());
    return kj::READY_NOW;
  }

 private:
  gateway_context& gateway_;
  caller from_;
};

}  // namespace

kj::Own<wire::Bootstrap::Server> make_bootstrap(gateway_context& context) { return kj::heap<bootstrap_impl>(context); }

}  // namespace roster::server
