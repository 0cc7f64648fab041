#include "clone/existing_acl_step.h"

#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

// Does the statement survive the "privileges" option? (Revocations always do.)
bool applied(const ddl::PrivilegeStatement& s, protocol::PrivilegesMode mode) {
  return !s.grant || s.to_owner || mode != protocol::PrivilegesMode::kNone;
}

}  // namespace

ddl::AclObject acl_target(ddl::AclObjectKind kind, const std::string& name_sql, const std::string& column_sql) {
  ddl::AclObject object;
  object.kind = kind;
  object.target = name_sql;
  object.column = column_sql;
  return object;
}

void require_owner_rights(const OwnedAcl& target, const std::string& what, const jobs::Job& job) {
  if (target.caller_may_change || job.owner().is_superuser) return;
  throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                    "permission denied to clone the privileges of " + what,
                    "Its owner on the target is " + ddl::quote_ident(target.owner) +
                        "; the source's privileges differ from the target's, and only the owner (or a member of "
                        "the owner role, or a superuser) can change them. Nothing was cloned.",
                    "Clone as " + ddl::quote_ident(target.owner) + " or a member of it, or as a superuser.");
}

void add_acl_step(plan::ClonePlan& plan, const std::string& id, ddl::AclObject object, const OwnedAcl& source,
                  const OwnedAcl& target, bool owner_moved, const std::string& what, const jobs::Job& job) {
  object.owner = source.owner;
  object.acl = source.acl;
  object.owner_sql = ddl::quote_ident(owner_moved ? source.owner : target.owner);
  object.baseline = target.acl;
  object.baseline_owner = target.owner;
  std::vector<ddl::PrivilegeStatement> statements = ddl::privilege_statements(object);
  bool any = false;
  for (const auto& s : statements) any = any || applied(s, job.options().privileges);
  if (!any) return;
  // After an owner step, the caller acts as a member of the new owner
  // (check_owners_assignable).
  if (!owner_moved) require_owner_rights(target, what, job);
  plan::Step step;
  step.id = id;
  step.kind = "privileges";
  step.description = "privileges of " + what;
  step.section = plan::Section::kLast;
  for (const auto& s : statements) step.statements.push_back(s.sql);
  plan.privileges[id] = std::move(statements);
  plan.steps.push_back(std::move(step));
}

}  // namespace pgclone::agent::clone
