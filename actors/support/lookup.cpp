#include "actors/support/lookup.hpp"

#include "actors/messages.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {

std::optional<entity_id> find_user(storage_port& storage, std::string_view text) {
  auto lowered = to_lower_ascii(text);
  auto key = looks_like_email(text) ? keys::email(lowered) : keys::username(lowered);
  auto value = storage.get(key);
  if (!value || value->size() != 8) return std::nullopt;
  return records::decode_id(*value);
}

std::optional<user_profile> load_user(storage_port& storage, entity_id id) {
  auto value = storage.get(keys::user(id));
  if (!value) return std::nullopt;
  return records::decode_user(*value);
}

std::optional<entity_id> resolve_user(storage_port& storage, const user_ref& ref) {
  if (!ref.name.empty()) return find_user(storage, ref.name);
  if (ref.id == no_entity || !storage.get(keys::user(ref.id))) return std::nullopt;
  return ref.id;
}

}  // namespace roster::actors
