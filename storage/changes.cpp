#include "storage/changes.hpp"

#include "storage/keys.hpp"
#include "storage/records.hpp"

namespace roster::storage {
namespace {

constexpr std::size_t entity_key_size = 1 + 8;                       // tag, id
constexpr std::size_t sub_key_size = entity_key_size + 1 + 8;        // ... sub tag, id
constexpr std::size_t grant_key_size = entity_key_size + 1 + 1 + 8;  // ... 'G', u|t, id

entity_id id_at(std::string_view key, std::size_t offset) { return keys::read_id(key.substr(offset)); }

change invitation_change(const record_write& record, std::string_view key) {
  if (!record.value) {
    invitation gone;
    gone.id = id_at(key, keys::sub_id_offset);
    return change{true, gone};
  }
  return change{false, records::decode_invitation(*record.value)};
}

}  // namespace

std::optional<change> change_of(const record_write& record) {
  std::string_view key = record.key;
  if (key.size() < entity_key_size) return std::nullopt;
  auto tag = key[0];
  auto id = id_at(key, 1);
  const auto& value = record.value;

  if (key.size() == entity_key_size) {
    switch (tag) {
      case 'U': {
        if (!value) {
          user_profile gone;
          gone.id = id;
          return change{true, gone};
        }
        auto user = records::decode_user(*value);
        return change{user.removed, user};
      }
      case 'T': {
        if (!value) {
          team_info gone;
          gone.id = id;
          return change{true, gone};
        }
        auto team = records::decode_team(*value);
        return change{team.deleted, team};
      }
      case 'P': {
        if (!value) {
          project_info gone;
          gone.id = id;
          return change{true, gone};
        }
        auto project = records::decode_project(*value);
        return change{project.deleted, project};
      }
      default:
        return std::nullopt;
    }
  }

  auto sub = key[keys::sub_tag_offset];
  if (tag == 'T' && key.size() == sub_key_size && sub == 'M') {
    member_change m{id, {}};
    if (value)
      m.member = records::decode_member(*value);
    else
      m.member.user = id_at(key, keys::sub_id_offset);
    return change{!value, m};
  }
  if ((tag == 'T' || tag == 'P') && key.size() == sub_key_size && sub == 'I') return invitation_change(record, key);
  if (tag == 'P' && key.size() == grant_key_size && sub == 'G') {
    grant_change g{id, id_at(key, keys::sub_id_offset + 1), key[keys::sub_id_offset] == 't', {}};
    if (value) g.access = records::decode_grant(*value, &g.subject, &g.to_team);
    return change{!value, g};
  }
  return std::nullopt;
}

}  // namespace roster::storage
