// Encoding of domain values as the Cap'n Proto record structs of
// schema/roster.capnp. Decoders copy into aligned memory: LMDB values carry
// no alignment guarantee.
#pragma once

#include <string>
#include <string_view>

#include "storage/domain.hpp"

namespace roster::storage::records {

std::string encode(const user_profile& user);
std::string encode(const team_info& team);
std::string encode(const team_summary& summary);
std::string encode(const team_member& member);
std::string encode(const invitation& inv);
std::string encode(const notification& note);
std::string encode(const project_info& project);
std::string encode(const activity_event& event);
std::string encode(const tenant_info& tenant);
std::string encode_grant(bool to_team, entity_id subject, const grant& g);
std::string encode_locator(target_kind kind, entity_id target);
std::string encode_id(entity_id id);

user_profile decode_user(std::string_view bytes);
team_info decode_team(std::string_view bytes);
team_summary decode_team_summary(std::string_view bytes);
team_member decode_member(std::string_view bytes);
invitation decode_invitation(std::string_view bytes);
notification decode_notification(std::string_view bytes);
project_info decode_project(std::string_view bytes);
activity_event decode_activity(std::string_view bytes);
tenant_info decode_tenant(std::string_view bytes);
grant decode_grant(std::string_view bytes, entity_id* subject, bool* to_team);
void decode_locator(std::string_view bytes, target_kind* kind, entity_id* target);
entity_id decode_id(std::string_view bytes);

}  // namespace roster::storage::records
