// P3: a role schema given as JSON when a project is created, validated
// before anything is stored:
//
//   {"categories": [{"name": "lab",
//                    "levels": [{"name": "reader", "actions": ["read"]},
//                               {"name": "writer", "actions": ["write"]}]}]}
//
// Each category starts at an implicit `no_access`; a level allows its own
// actions and those of every level below it. Limits: 1-8 categories, 1-8
// levels each, names of 1-32 characters [a-z0-9_], actions of 1-64 such
// characters and unique across the schema (not `upload` or `download`, the
// flags' actions), at most 256 actions, 64 KiB of text.
#pragma once

#include <memory>
#include <string_view>

#include "domain/role_schema.hpp"

namespace roster::domain {

// The schema `text` names: `simple`, `categories`, or a custom one. On
// malformed text, nullptr and `why` (invalid_argument, with the reason).
std::shared_ptr<const role_schema> schema_from_text(std::string_view text, failure* why);

}  // namespace roster::domain
