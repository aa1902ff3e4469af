// What a project answers without changing anything: its record, its
// collaborators, its activity (P1, P2, P8) and the checks and queries of
// C2-C4. Every answer waits for the project's pending commits, so nothing
// not yet durable is revealed (C6).
#include <algorithm>

#include "actors/project/project_state.hpp"
#include "actors/support/durable_reply.hpp"
#include "actors/support/lookup.hpp"
#include "actors/support/storage_port.hpp"
#include "domain/validation.hpp"

namespace roster::actors {
namespace {

project_access named_access(const role_schema& schema, const grant& g) {
  return project_access{named_levels(schema, g.levels), g.upload, g.download, g.expires};
}

std::string team_name(const project_state& st, entity_id team) {
  auto record = st.rt->storage.get(keys::team(team));
  return record ? records::decode_team(*record).name : std::to_string(team);
}

const char* kind_rule(project_kind kind) {
  return kind == project_kind::dataset ? "a team grant on a dataset counts only for members with view_datasets"
                                       : "a team grant on code or a notebook counts only for members with view_code";
}

}  // namespace

project_reply show(project_self* self, entity_id acting) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  return reply_when_durable(self, st.gate, st.info);
}

project_reply collaborators(project_self* self, entity_id acting) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  collaborator_list list;
  for (const auto& [user, g] : st.grants.users()) {
    auto profile = load_user(st.rt->storage, user);
    list.entries.push_back(collaborator{collaborator_kind::user, user, profile ? profile->username : "",
                                        named_access(*st.schema, g), invitation_status::accepted, no_entity,
                                        profile && profile->tenant != st.info.tenant});
  }
  for (const auto& [team, g] : st.grants.teams())
    list.entries.push_back(collaborator{collaborator_kind::team, team, team_name(st, team), named_access(*st.schema, g),
                                        invitation_status::accepted, no_entity, false});
  auto now = st.rt->time.now();
  for (const auto& [id, inv] : st.invitations.all(*st.rt)) {
    auto status = inv.status_at(now);
    if (status != invitation_status::pending && status != invitation_status::rejected) continue;
    collaborator entry;
    entry.kind = inv.invitee == no_entity ? collaborator_kind::email : collaborator_kind::user;
    entry.subject = inv.invitee;
    if (inv.invitee == no_entity) {
      entry.name = inv.invitee_email;
    } else {
      auto profile = load_user(st.rt->storage, inv.invitee);
      entry.name = profile ? profile->username : "";
      entry.guest = profile && profile->tenant != st.info.tenant;
    }
    entry.access = inv.project;
    entry.status = status;
    entry.invitation = id;
    list.entries.push_back(std::move(entry));
  }
  std::stable_sort(list.entries.begin(), list.entries.end(), [](const collaborator& a, const collaborator& b) {
    return std::tie(a.kind, a.subject, a.invitation) < std::tie(b.kind, b.subject, b.invitation);
  });
  return reply_when_durable(self, st.gate, std::move(list));
}

project_reply activity(project_self* self, entity_id acting, const project_activity_cmd& cmd) {
  auto& st = self->state;
  if (!can_see(st, acting)) return make_failure(ErrorCode::not_found, "no such project");
  bool allowed =
      st.schema->find_action("view_activity") ? has_action(st, access_of(st, acting), "view_activity") : true;
  if (!allowed) return make_failure(ErrorCode::permission_denied, "reading the activity log needs view_activity");
  if (auto bad = check_page_limit(cmd.limit, max_activity_page)) return to_error(*bad);
  activity_list list;
  for (auto it = st.activity.rbegin(); it != st.activity.rend() && list.events.size() < cmd.limit; ++it)
    list.events.push_back(*it);
  return reply_when_durable(self, st.gate, std::move(list));
}

// C2: the checks of a bulk call that concern this project.
project_reply check_many(project_self* self, const project_checks_msg& msg) {
  auto& st = self->state;
  check_bulk_result result;
  result.outcomes.reserve(msg.users.size());
  for (std::size_t i = 0; i < msg.users.size(); ++i) {
    auto need = st.schema->find_action(msg.actions[i]);
    if (!need) {
      result.outcomes.push_back({false, true, ErrorCode::invalid_argument});
      continue;
    }
    result.outcomes.push_back(
        {allows(st.grants, msg.users[i], standing_here(st, msg.users[i]), *need, now_of(st)), false, {}});
  }
  return reply_when_durable(self, st.gate, std::move(result));
}

// C3: the effective access, and every grant that could have contributed.
project_reply explain(project_self* self, const explain_cmd& cmd) {
  auto& st = self->state;
  auto user = cmd.user.id;
  auto fact = standing_here(st, user);
  const auto& g = st.grants;
  explanation out;
  out.policy = g.policy();
  auto effective = resolve_access(g, user, fact, st.rt->time.now());
  out.access = project_access{named_levels(*st.schema, effective.levels), effective.upload, effective.download};

  bool superseded = false;
  if (!fact.exists || fact.removed) {
    out.basis = "removed";
    superseded = true;
  } else if (user == g.owner()) {
    out.basis = "owner";
    superseded = true;
  } else if (fact.role == platform_role::admin) {
    out.basis = st.rt->user_fact(user).role == platform_role::admin ? "platform_admin" : "tenant_admin";
    superseded = true;
  } else {
    out.basis = "grants";
  }

  effective_access before_caps;
  auto count = [&](const grant& counted) {
    if (before_caps.levels.size() < counted.levels.size()) before_caps.levels.resize(counted.levels.size(), 0);
    for (std::size_t c = 0; c < counted.levels.size(); ++c)
      before_caps.levels[c] = std::max(before_caps.levels[c], counted.levels[c]);
    before_caps.upload = before_caps.upload || counted.upload;
    before_caps.download = before_caps.download || counted.download;
  };
  // P9: a grant or membership that ended counts no more, removed or not.
  auto now = st.rt->time.now();
  auto direct = g.users().find(user);
  bool direct_in_force = direct != g.users().end() && in_force(direct->second.expires, now);
  if (direct != g.users().end()) {
    bool counted = !superseded && direct_in_force;
    out.grants.push_back({false, user, named_access(*st.schema, direct->second), counted,
                          superseded        ? "superseded: " + out.basis + " has every right"
                          : direct_in_force ? "direct grant"
                                            : "expired"});
    if (counted) count(direct->second);
  }
  bool direct_only = g.policy() == resolution_policy::most_specific && direct_in_force;
  for (const auto& [team, tg] : g.teams()) {
    auto members = g.team_members().find(team);
    if (members == g.team_members().end()) continue;
    auto member = members->second.find(user);
    if (member == members->second.end()) continue;
    explained_grant e{true, team, named_access(*st.schema, tg), false, {}};
    // Through a team, access lasts while both the grant and the membership do.
    e.access.expires = earlier_expiry(tg.expires, member->second.expires);
    if (superseded)
      e.note = "superseded: " + out.basis + " has every right";
    else if (!in_force(tg.expires, now) || !in_force(member->second.expires, now))
      e.note = "expired";
    else if (!team_grant_applies(g.kind(), member->second.flags))
      e.note = kind_rule(g.kind());
    else if (direct_only)
      e.note = "policy most_specific: the direct grant alone counts";
    else {
      e.counted = true;
      e.note = "member of team " + team_name(st, team);
      count(tg);
    }
    out.grants.push_back(std::move(e));
  }
  std::sort(out.grants.begin(), out.grants.end(), [](const explained_grant& a, const explained_grant& b) {
    return std::tie(a.team, a.subject) < std::tie(b.team, b.subject);
  });
  if (user == g.owner() && fact.exists && !fact.removed) {
    before_caps.levels = st.schema->top_levels();
    before_caps.upload = before_caps.download = true;
  }
  if (fact.exists && !fact.removed && fact.role == platform_role::read_only) {
    const auto& categories = st.schema->all();
    for (std::size_t c = 0; c < before_caps.levels.size() && c < effective.levels.size(); ++c)
      if (before_caps.levels[c] > effective.levels[c])
        out.caps.push_back("read_only: " + categories[c].name + " capped at " +
                           categories[c].levels[effective.levels[c]]);
    if (before_caps.upload && !effective.upload) out.caps.push_back("read_only: no upload");
  }
  return reply_when_durable(self, st.gate, std::move(out));
}

// C4: the users who may do `action` here, in id order, paged. Platform
// admins who are not collaborators are not listed (README "Behaviour").
project_reply lookup_users(project_self* self, const lookup_users_cmd& cmd) {
  auto& st = self->state;
  auto need = st.schema->find_action(cmd.action);
  if (!need)
    return make_failure(ErrorCode::invalid_argument, "no action '" + cmd.action + "' in this project's schema");
  if (auto bad = check_page_limit(cmd.limit, max_lookup_page)) return to_error(*bad);
  const auto& g = st.grants;
  std::vector<entity_id> candidates{g.owner()};
  for (const auto& [user, grant] : g.users()) candidates.push_back(user);
  for (const auto& [team, members] : g.team_members())
    if (g.teams().count(team))
      for (const auto& [user, flags] : members) candidates.push_back(user);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  user_page page;
  auto it = std::upper_bound(candidates.begin(), candidates.end(), cmd.after);
  for (; it != candidates.end(); ++it) {
    if (!allows(g, *it, standing_here(st, *it), *need, now_of(st))) continue;
    if (page.users.size() == cmd.limit) {
      page.next = page.users.back();
      break;
    }
    page.users.push_back(*it);
  }
  return reply_when_durable(self, st.gate, std::move(page));
}

project_reply match(project_self* self, const project_match_msg& msg) {
  auto& st = self->state;
  project_match result;
  result.info = st.info;
  if (msg.action.empty()) {
    result.matched = can_see(st, msg.user);
  } else if (auto need = st.schema->find_action(msg.action)) {
    result.matched =
        msg.user == no_entity || allows(st.grants, msg.user, standing_here(st, msg.user), *need, now_of(st));
  }
  return reply_when_durable(self, st.gate, std::move(result));
}

}  // namespace roster::actors
