// The messages the actors exchange, with their CAF type ids. Heavy (CAF):
// include only from actor and bridge sources, never from a widely used header.
// Each kind of actor declares the messages it handles beside its code
// (directory/, team/, project/, user/, invitations/); this file gathers them
// and gives each a type id, in one block CAF numbers at start-up.
//
// The gateway sends a call as (entity_id acting, command) straight to the
// active actor that owns it (direct_route.hpp), or else to the directory as
// (user_ref acting, command); the directory resolves the acting user (0 = the
// service itself, with platform-admin rights), activates the owner and
// forwards (entity_id acting, command) to it. The owner replies to the
// gateway directly.
#pragma once

#include <caf/all.hpp>

#include "actors/directory/directory_messages.hpp"
#include "actors/invitations/invitation_messages.hpp"
#include "actors/project/project_messages.hpp"
#include "actors/support/message_basics.hpp"
#include "actors/team/team_messages.hpp"
#include "actors/user/user_messages.hpp"

CAF_BEGIN_TYPE_ID_BLOCK(roster, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(roster, (roster::actors::user_ref))
CAF_ADD_TYPE_ID(roster, (roster::actors::register_user_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::create_team_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_leave_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::answer_invitation_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::create_project_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::grant_team_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_view))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_view))
CAF_ADD_TYPE_ID(roster, (roster::actors::find_user_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_actor_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_subscribe_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_set))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_change_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::inbox_update_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_list_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_set_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_admin_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_add_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_remove_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_transfer_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_delete_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_set_flags_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::revoke_team_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::mark_read_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_bulk_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::check_bulk_result))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_checks_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_set_level_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_revoke_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_owner_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_delete_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_collaborators_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_activity_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_projects_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::lookup_users_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::explain_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_page))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_page))
CAF_ADD_TYPE_ID(roster, (roster::actors::collaborator_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::activity_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::explanation))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_match_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_match))
CAF_ADD_TYPE_ID(roster, (roster::actors::team_unsubscribe_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::project_info))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_remove_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::member_gone_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_gone_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::removal_done_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::mark_removed_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::bind_invitee_msg))
CAF_ADD_TYPE_ID(roster, (roster::actors::bulk_invite_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::bulk_invite_result))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_profile))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_show_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_role_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_team_manager_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::tenant_create_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::tenant_rename_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::tenant_delete_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::tenant_list_cmd))
CAF_ADD_TYPE_ID(roster, (roster::actors::tenant_list))
CAF_ADD_TYPE_ID(roster, (roster::actors::user_tenant_admin_cmd))
CAF_END_TYPE_ID_BLOCK(roster)

CAF_ADD_ATOM(roster, roster::actors, committed_atom, "committed")
CAF_ADD_ATOM(roster, roster::actors, commit_failed_atom, "cfailed")
// An actor's own timer for the deadlines of its requests (reply_deadlines.hpp).
CAF_ADD_ATOM(roster, roster::actors, expire_waits_atom, "expwaits")
// Passivation (passivation.hpp): the directory's sweep timer, its note to
// itself to ask the next slice of a sweep's idle actors, and its request to
// an idle actor ("stop now if you can").
CAF_ADD_ATOM(roster, roster::actors, sweep_atom, "sweep")
CAF_ADD_ATOM(roster, roster::actors, ask_idle_atom, "askidle")
CAF_ADD_ATOM(roster, roster::actors, passivate_atom, "passivate")
// The directory's note to itself to publish an actor it activated, once the
// message that activated it is in its mailbox (actor_registry.hpp).
CAF_ADD_ATOM(roster, roster::actors, publish_atom, "publish")
// P9: a project's timer for the first grant that ends (project_expiry.cpp).
CAF_ADD_ATOM(roster, roster::actors, end_expired_atom, "endexpired")
// An actor's question whether it is idle (tests use it as a plain request).
CAF_ADD_ATOM(roster, roster::actors, quiescent_atom, "quiescent")
