#include "clone/privilege_filter.h"

#include <algorithm>
#include <set>

#include "catalog/catalog_sql.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

using protocol::PrivilegesMode;

bool filtered(const ddl::PrivilegeStatement& s) { return s.grant && !s.to_owner; }

}  // namespace

PrivilegeFilter::PrivilegeFilter(pg::Connection& target, const std::vector<const ddl::PrivilegeStatement*>& statements,
                                 PrivilegesMode mode)
    : mode_(mode) {
  // Default privileges for a role need that role, whatever the mode.
  std::set<std::string> roles;
  for (const auto* s : statements) {
    if (!s->for_role.empty()) roles.insert(s->for_role);
    if (mode != PrivilegesMode::kNone && filtered(*s) && !s->grantee.empty()) roles.insert(s->grantee);
  }
  if (roles.empty()) return;
  pg::Result r = target.query(
      "SELECT g FROM pg_catalog.unnest($1::pg_catalog.text[]) g"
      " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles a WHERE a.rolname = g) ORDER BY g COLLATE \"C\"",
      {catalog::text_array_literal({roles.begin(), roles.end()})});
  for (int i = 0; i < r.rows(); ++i) missing_.push_back(r.get(i, 0));
  if (missing_.empty() || mode != PrivilegesMode::kClone) return;
  const bool one = missing_.size() == 1;
  throw pg::PgError(protocol::sqlstate::kUndefinedObject,
                    std::string(one ? "role " : "roles ") + ddl::role_list_shown(missing_) +
                        (one ? " does not exist on the target" : " do not exist on the target"),
                    "The source grants privileges to " + std::string(one ? "this role" : "these roles") +
                        " (or sets default privileges for " + (one ? "it" : "them") + "); nothing was cloned.",
                    "Create the roles on the target first (pgclone.clone_roles()), or pass "
                    "'{\"privileges\": \"skip_missing_roles\"}' to clone the other grants, or "
                    "'{\"privileges\": false}' to clone no grants (revocations are applied either way).");
}

bool PrivilegeFilter::missing(const std::string& role) const {
  return !role.empty() && std::binary_search(missing_.begin(), missing_.end(), role);
}

std::vector<std::string> PrivilegeFilter::choose(const std::vector<ddl::PrivilegeStatement>& statements,
                                                 jobs::Job& job) const {
  std::vector<std::string> out;
  for (const ddl::PrivilegeStatement& s : statements) {
    if (filtered(s) && mode_ == PrivilegesMode::kNone) continue;
    if (missing(s.for_role)) {
      // Nobody on the target creates objects as that role: nothing to do.
      job.add_notice("warning", std::string("skipped ") + (s.grant ? "grant" : "revocation") + " of " + s.privileges +
                                    " on " + s.object + ": the role " + ddl::role_shown(s.for_role) + " they are for does not exist on the target");
      continue;
    }
    if (filtered(s) && missing(s.grantee)) {
      job.add_notice("warning", "skipped grant of " + s.privileges + " on " + s.object + " to role " + ddl::role_shown(s.grantee) +
                                    ": the role does not exist on the target");
      continue;
    }
    out.push_back(s.sql);
  }
  return out;
}

void filter_plan_privileges(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job) {
  std::vector<const ddl::PrivilegeStatement*> all;
  for (const auto& [id, statements] : plan.privileges)
    for (const auto& s : statements) all.push_back(&s);
  const PrivilegeFilter filter(target, all, job.options().privileges);
  for (plan::Step& step : plan.steps) {
    auto it = plan.privileges.find(step.id);
    if (it != plan.privileges.end()) step.statements = filter.choose(it->second, job);
  }
}

std::string privileges_result_note(const jobs::Job& job) {
  return job.options().privileges == PrivilegesMode::kNone ? " (privileges not cloned)" : "";
}

}  // namespace pgclone::agent::clone
