// The Session interface: every call made on behalf of one acting user (or
// of the service), sent as (acting, command) to the actor that owns it when
// that one is active, else to the directory (actors/directory/direct_route.hpp).
#include <algorithm>
#include <optional>

#include "roster/utf8.hpp"
#include "server/gateway_calls.hpp"

namespace roster::server::gateway_detail {
namespace {

class session_impl final : public wire::Session::Server {
 public:
  session_impl(caller from, user_ref acting, std::optional<actors::failure> refusal)
      : from_(std::move(from)), acting_(std::move(acting)), refusal_(std::move(refusal)) {}

  DispatchCallResult dispatchCall(uint64_t interface_id, uint16_t method, any_call_context context) override {
    return observe_call(from_.observer, rpc_interface::session, method, context,
                        [&]() { return wire::Session::Server::dispatchCall(interface_id, method, context); });
  }

  kj::Promise<void> createTeam(CreateTeamContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    return ask(from_, fill_id(from_, context), acting_,
               actors::create_team_cmd{text(p.getTeamName()), text(p.getIcon())});
  }

  kj::Promise<void> inviteToTeam(InviteToTeamContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    return ask(from_, fill_id(from_, context), acting_,
               actors::team_invite_cmd{p.getTeam(), text(p.getInvitee()), from_wire(p.getFlags()), text(p.getMessage()),
                                       p.getExpires()});
  }

  kj::Promise<void> showTeam(ShowTeamContext context) override {
    if (refusal_) return refuse(context);
    auto fill = [context](const caf::message& reply) mutable {
      auto result = context.getResults().initResult();
      if (take_failure(reply, result)) return;
      if (!reply.match_elements<actors::team_view>()) return unexpected_reply(result);
      to_wire(reply.get_as<actors::team_view>(0), result.initTeam());
    };
    return ask_owner(from_, fill, acting_, actors::team_show_cmd{context.getParams().getTeam()});
  }

  kj::Promise<void> leaveTeam(LeaveTeamContext context) override {
    return forward_void(context, actors::team_leave_cmd{context.getParams().getTeam()});
  }

  kj::Promise<void> acceptInvitation(AcceptInvitationContext context) override {
    return answer(context, actors::answer_kind::accept);
  }
  kj::Promise<void> rejectInvitation(RejectInvitationContext context) override {
    return answer(context, actors::answer_kind::reject);
  }
  kj::Promise<void> cancelInvitation(CancelInvitationContext context) override {
    return answer(context, actors::answer_kind::cancel);
  }

  kj::Promise<void> showUser(ShowUserContext context) override {
    if (refusal_) return refuse(context);
    auto fill = [context](const caf::message& reply) mutable {
      auto result = context.getResults().initResult();
      if (take_failure(reply, result)) return;
      if (!reply.match_elements<actors::user_profile>()) return unexpected_reply(result);
      to_wire(reply.get_as<actors::user_profile>(0), result.initUser());
    };
    return ask_owner(from_, fill, acting_, actors::user_show_cmd{from_wire(context.getParams().getUser())});
  }

  kj::Promise<void> addUser(AddUserContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    actors::register_user_cmd cmd{text(p.getUsername()), text(p.getEmail()), text(p.getDisplayName()),
                                  static_cast<actors::platform_role>(p.getRole()), from_wire(p.getTenant())};
    auto refused = pin_to_tenant(from_, cmd.tenant);
    if (!refused && from_.tenant_scope && cmd.role == actors::platform_role::admin)
      refused = actors::failure{ErrorCode::permission_denied, "a tenant's service token adds no platform admins"};
    if (refused) {
      to_wire(*refused, context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    return ask(from_, fill_id(from_, context), acting_, cmd);
  }

  kj::Promise<void> setRole(SetRoleContext context) override {
    auto p = context.getParams();
    if (!refusal_ && from_.tenant_scope && p.getRole() == wire::PlatformRole::ADMIN) {
      to_wire(actors::failure{ErrorCode::permission_denied, "a tenant's service token makes no platform admins"},
              context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    return forward_void(context,
                        actors::user_role_cmd{from_wire(p.getUser()), static_cast<actors::platform_role>(p.getRole())});
  }

  kj::Promise<void> inviteBulk(InviteBulkContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    if (p.getTargets().size() > actors::max_bulk_targets || p.getInvitees().size() > actors::max_bulk_invitees) {
      to_wire(actors::failure{ErrorCode::invalid_argument, "1 to 100 targets and 1 to 1,000 invitees in one call"},
              context.getResults().initResult().initError());
      return kj::READY_NOW;
    }
    actors::bulk_invite_cmd cmd;
    for (auto t : p.getTargets()) cmd.targets.push_back({static_cast<actors::target_kind>(t.getKind()), t.getId()});
    for (auto invitee : p.getInvitees()) cmd.invitees.push_back(text(invitee));
    cmd.team_flags = from_wire(p.getFlags());
    cmd.access = from_wire(p.getAccess());
    cmd.message = text(p.getMessage());
    auto fill = fill_value<actors::bulk_invite_result>(
        context, [storage = &from_.actors.storage](const auto& bulk, auto result) {
          result.setRevision(storage->revision());
          auto out = result.initResults(static_cast<unsigned>(bulk.results.size()));
          for (unsigned i = 0; i < out.size(); ++i) {
            const auto& item = bulk.results[i];
            auto target = out[i].initTarget();
            target.setKind(static_cast<wire::TargetKind>(item.target.kind));
            target.setId(item.target.id);
            // The caller's own text, named back: repaired, as every text the
            // server answers is UTF-8 (a broken invitee failed not_found).
            out[i].setInvitee(utf8::repaired(item.invitee));
            if (item.failed)
              to_wire(actors::failure{item.code, item.message}, out[i].initError());
            else
              out[i].setInvitation(item.invitation);
          }
        });
    return ask(from_, fill, acting_, std::move(cmd));
  }

  kj::Promise<void> removeUser(RemoveUserContext context) override {
    return forward_void(context, actors::user_remove_cmd{from_wire(context.getParams().getUser())});
  }

  kj::Promise<void> setTeamManager(SetTeamManagerContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::user_team_manager_cmd{from_wire(p.getUser()), p.getTeamManager()});
  }

  kj::Promise<void> setTenantAdmin(SetTenantAdminContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::user_tenant_admin_cmd{from_wire(p.getUser()), p.getTenantAdmin()});
  }

  kj::Promise<void> remindInvitation(RemindInvitationContext context) override {
    return answer(context, actors::answer_kind::remind);
  }

  kj::Promise<void> markRead(MarkReadContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::mark_read_cmd{p.getNotification(), p.getAll()});
  }

  kj::Promise<void> inbox(InboxContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    actors::inbox_cmd cmd;
    cmd.filter_by_status = p.getFilterByStatus();
    cmd.status = static_cast<actors::invitation_status>(p.getStatus());
    cmd.limit = p.getLimit();
    cmd.after = p.getAfter();
    auto fill = [context](const caf::message& reply) mutable {
      auto result = context.getResults().initResult();
      if (take_failure(reply, result)) return;
      if (!reply.match_elements<actors::inbox_view>()) return unexpected_reply(result);
      to_wire(reply.get_as<actors::inbox_view>(0), result.initInbox());
    };
    return ask_owner(from_, fill, acting_, cmd);
  }

  kj::Promise<void> createProject(CreateProjectContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    auto schema = text(p.getSchema());
    actors::create_project_cmd cmd{text(p.getProjectName()), static_cast<actors::project_kind>(p.getKind()),
                                   schema.empty() ? "simple" : schema,
                                   static_cast<actors::resolution_policy>(p.getPolicy())};
    return ask(from_, fill_id(from_, context), acting_, cmd);
  }

  kj::Promise<void> inviteToProject(InviteToProjectContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    return ask_owner(from_, fill_id(from_, context), acting_,
                     actors::project_invite_cmd{p.getProject(), text(p.getInvitee()), from_wire(p.getAccess()),
                                                text(p.getMessage())});
  }

  kj::Promise<void> grantTeam(GrantTeamContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::grant_team_cmd{p.getProject(), p.getTeam(), from_wire(p.getAccess())});
  }

  kj::Promise<void> listTeams(ListTeamsContext context) override {
    if (refusal_) return refuse(context);
    auto fill = [context, from = from_](const caf::message& reply) mutable {
      auto result = context.getResults().initResult();
      if (take_failure(reply, result)) return;
      if (!reply.match_elements<actors::team_list>()) return unexpected_reply(result);
      auto teams = reply.get_as<actors::team_list>(0).teams;
      if (from.tenant_scope)  // N5: a platform admin's list holds every tenant's
        teams.erase(std::remove_if(teams.begin(), teams.end(),
                                   [&](const actors::team_summary& t) { return t.tenant != *from.tenant_scope; }),
                    teams.end());
      auto out = result.initTeams(static_cast<unsigned>(teams.size()));
      for (unsigned i = 0; i < out.size(); ++i) {
        out[i].setId(teams[i].id);
        out[i].setName(teams[i].name);
        out[i].setIcon(teams[i].icon);
        out[i].setMembers(teams[i].members);
      }
    };
    return ask(from_, fill, acting_, actors::team_list_cmd{});
  }

  kj::Promise<void> setTeam(SetTeamContext context) override {
    auto p = context.getParams();
    actors::team_set_cmd cmd;
    cmd.team = p.getTeam();
    if (p.getSetName()) cmd.name = text(p.getNewName());
    if (p.getSetIcon()) cmd.icon = text(p.getIcon());
    if (p.getSetAdmission()) cmd.admission_mode = static_cast<actors::admission>(p.getAdmission());
    return forward_void(context, cmd);
  }

  kj::Promise<void> setTeamAdmin(SetTeamAdminContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::team_admin_cmd{p.getTeam(), from_wire(p.getUser()), p.getAdmin()});
  }

  kj::Promise<void> addToTeam(AddToTeamContext context) override {
    auto p = context.getParams();
    return forward_void(
        context, actors::team_add_cmd{p.getTeam(), from_wire(p.getUser()), from_wire(p.getFlags()), p.getExpires()});
  }

  kj::Promise<void> removeFromTeam(RemoveFromTeamContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::team_remove_cmd{p.getTeam(), from_wire(p.getUser())});
  }

  kj::Promise<void> transferTeam(TransferTeamContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::team_transfer_cmd{p.getTeam(), from_wire(p.getUser())});
  }

  kj::Promise<void> deleteTeam(DeleteTeamContext context) override {
    return forward_void(context, actors::team_delete_cmd{context.getParams().getTeam()});
  }

  kj::Promise<void> setMemberFlags(SetMemberFlagsContext context) override {
    auto p = context.getParams();
    return forward_void(context,
                        actors::team_set_flags_cmd{p.getTeam(), from_wire(p.getUser()), from_wire(p.getFlags())});
  }

  kj::Promise<void> listProjects(ListProjectsContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    auto fill = fill_value<actors::project_page>(context, [from = from_](auto page, auto result) {
      keep_within_tenant(from, page);
      to_wire(page, result.initPage());
    });
    // The acting user's own projects. Filled field by field: GCC 12 at -O3
    // takes the braced empty user_ref for an uninitialized string.
    actors::lookup_projects_cmd own;
    own.limit = p.getLimit();
    own.after = p.getAfter();
    return ask(from_, fill, acting_, std::move(own));
  }

  kj::Promise<void> showProject(ShowProjectContext context) override {
    if (refusal_) return refuse(context);
    auto fill = fill_value<actors::project_info>(
        context, [](const auto& info, auto result) { to_wire(info, result.initProject()); });
    return ask_owner(from_, fill, acting_, actors::project_show_cmd{context.getParams().getProject()});
  }

  kj::Promise<void> setLevel(SetLevelContext context) override {
    auto p = context.getParams();
    return forward_void(
        context, actors::project_set_level_cmd{p.getProject(), from_wire(p.getSubject()), from_wire(p.getLevels())});
  }

  kj::Promise<void> revoke(RevokeContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::project_revoke_cmd{p.getProject(), from_wire(p.getSubject())});
  }

  kj::Promise<void> transferProject(TransferProjectContext context) override {
    auto p = context.getParams();
    return forward_void(context, actors::project_owner_cmd{p.getProject(), from_wire(p.getUser())});
  }

  kj::Promise<void> deleteProject(DeleteProjectContext context) override {
    return forward_void(context, actors::project_delete_cmd{context.getParams().getProject()});
  }

  kj::Promise<void> collaborators(CollaboratorsContext context) override {
    if (refusal_) return refuse(context);
    auto fill = fill_value<actors::collaborator_list>(context, [](const auto& list, auto result) {
      auto out = result.initCollaborators(static_cast<unsigned>(list.entries.size()));
      for (unsigned i = 0; i < out.size(); ++i) to_wire(list.entries[i], out[i]);
    });
    return ask_owner(from_, fill, acting_, actors::project_collaborators_cmd{context.getParams().getProject()});
  }

  kj::Promise<void> activity(ActivityContext context) override {
    if (refusal_) return refuse(context);
    auto p = context.getParams();
    auto fill = fill_value<actors::activity_list>(context, [](const auto& list, auto result) {
      auto out = result.initEvents(static_cast<unsigned>(list.events.size()));
      for (unsigned i = 0; i < out.size(); ++i) to_wire(list.events[i], out[i]);
    });
    return ask_owner(from_, fill, acting_, actors::project_activity_cmd{p.getProject(), p.getLimit()});
  }

 private:
  // Sends `cmd` as the acting user; the reply is empty on success.
  template <class Context, class Command>
  kj::Promise<void> forward_void(Context& context, Command cmd) {
    if (refusal_) return refuse(context);
    return ask_owner(from_, fill_void(from_, context), acting_, std::move(cmd));
  }

  template <class Context>
  kj::Promise<void> refuse(Context& context) {
    to_wire(*refusal_, context.getResults().initResult().initError());
    return kj::READY_NOW;
  }

  template <class Context>
  kj::Promise<void> answer(Context& context, actors::answer_kind kind) {
    return forward_void(context, actors::answer_invitation_cmd{context.getParams().getInvitation(), kind});
  }

  caller from_;
  user_ref acting_;
  // Set when the token cannot make these calls: every call answers it.
  std::optional<actors::failure> refusal_;
};

}  // namespace

bool user_beyond_tenant(const caller& from, const user_ref& who, actors::entity_id project) {
  return from.tenant_scope && actors::outside_tenant(from.actors, who, *from.tenant_scope, project);
}

std::optional<actors::failure> pin_to_tenant(const caller& from, actors::tenant_ref& tenant) {
  if (!from.tenant_scope) return std::nullopt;
  bool unset = tenant.name.empty() && tenant.id == actors::default_tenant;
  if (!unset) {
    auto named = tenant.name.empty() ? std::to_string(tenant.id) : tenant.name;
    auto found = actors::find_tenant(from.actors.storage, named);
    if (!found || found->id != *from.tenant_scope) return actors::failure{ErrorCode::not_found, "no such tenant"};
  }
  tenant = actors::tenant_ref{*from.tenant_scope, {}};
  return std::nullopt;
}

void keep_within_tenant(const caller& from, actors::project_page& page) {
  if (!from.tenant_scope) return;
  auto& projects = page.projects;
  projects.erase(std::remove_if(projects.begin(), projects.end(),
                                [&](const actors::project_info& p) { return p.tenant != *from.tenant_scope; }),
                 projects.end());
}

kj::Own<wire::Session::Server> make_session(const caller& from, user_ref acting, token_scope scope) {
  std::optional<actors::failure> refusal;
  if (scope == token_scope::none)
    refusal = actors::failure{ErrorCode::unauthenticated, "the service token was not accepted"};
  else if (acting.is_service() && scope != token_scope::admin)
    refusal = actors::failure{ErrorCode::permission_denied,
                              "this service token acts only as users; acting as the service needs an admin token"};
  else if (user_beyond_tenant(from, acting, actors::no_entity))
    refusal = actors::failure{ErrorCode::not_found, "no such user"};  // N5: another tenant's
  return kj::heap<session_impl>(from, std::move(acting), std::move(refusal));
}

}  // namespace roster::server::gateway_detail
