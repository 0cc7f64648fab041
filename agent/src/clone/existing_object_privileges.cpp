#include "clone/existing_object_privileges.h"

#include <algorithm>
#include <optional>

#include "catalog/catalog_sql.h"
#include "catalog/security_label_catalog.h"
#include "clone/database_settings.h"
#include "clone/existing_acl_step.h"
#include "clone/system_object_privileges.h"
#include "ddl/owner_ddl.h"
#include "ddl/privilege_ddl.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/security_label_steps.h"

namespace pgclone::agent::clone {
namespace {

const char* kSchemaAcl =
    "SELECT pg_catalog.pg_get_userbyid(n.nspowner) AS owner,"
    " coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))::pg_catalog.text[] AS acl,"
    " pg_catalog.pg_has_role(n.nspowner, 'USAGE') AS may_change"
    " FROM pg_catalog.pg_namespace n WHERE n.nspname = $1";
const char* kDatabaseAcl =
    "SELECT pg_catalog.pg_get_userbyid(d.datdba) AS owner,"
    " coalesce(d.datacl, pg_catalog.acldefault('d', d.datdba))::pg_catalog.text[] AS acl,"
    " pg_catalog.pg_has_role(d.datdba, 'USAGE') AS may_change"
    " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";

std::optional<OwnedAcl> read_acl(pg::Connection& conn, const char* sql, const std::vector<std::optional<std::string>>& params) {
  pg::Result r = conn.query(sql, params);
  if (r.rows() == 0) return std::nullopt;
  OwnedAcl out;
  out.owner = r.get(0, "owner");
  out.acl = catalog::array_column(r, 0, "acl");
  out.caller_may_change = r.get_bool(0, "may_change");
  return out;
}

// "owner": "source" and another owner on the target: a step giving the
// object to the source's owner. ALTER ... OWNER TO also hands the old
// owner's ACL entries to the new one, so the ACL step that follows still
// compares owner-relative items. True when the owner changes.
bool add_owner_step(plan::ClonePlan& plan, const std::string& id, const std::string& keyword,
                    const std::string& name_sql, const OwnedAcl& source, const OwnedAcl& target,
                    const std::string& what, const jobs::Job& job) {
  if (job.options().owner != protocol::OwnerMode::kSource || source.owner == target.owner) return false;
  require_owner_rights(target, what, job);
  plan::Step step;
  step.id = id;
  step.kind = "owner";
  step.description = "owner of " + what;
  step.section = plan::Section::kLast;
  step.statements = {ddl::alter_owner_sql(keyword, name_sql, source.owner)};
  plan.owners.insert(source.owner);
  plan.steps.push_back(std::move(step));
  return true;
}

// ALTER DATABASE ... OWNER TO needs CREATEDB besides the two memberships.
void require_createdb(pg::Connection& target, const std::string& database_sql, const jobs::Job& job) {
  if (job.owner().is_superuser) return;
  if (target.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER AND (rolcreatedb OR rolsuper)")
          .rows() > 0)
    return;
  throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                    "permission denied to give database " + database_sql + " to its owner on the source",
                    "With \"owner\": \"source\" a database clone gives the database its source owner, which "
                    "needs the CREATEDB attribute. Nothing was cloned.",
                    "Clone as a role with CREATEDB or as a superuser, or leave the option out.");
}

}  // namespace

void add_existing_object_steps(pg::Connection& source, pg::Connection& target,
                               const std::vector<SchemaDisposition>& dispositions, bool database_clone,
                               jobs::Job& job, plan::ClonePlan& plan) {
  for (const SchemaDisposition& d : dispositions) {
    if (!d.clone || d.create) continue;  // skipped, or created (its own privilege step)
    const auto source_acl = read_acl(source, kSchemaAcl, {d.name});
    const auto target_acl = read_acl(target, kSchemaAcl, {d.name});
    if (!source_acl || !target_acl) continue;
    const std::string schema_sql = ddl::quote_ident(d.name), what = "schema " + schema_sql;
    const bool moved = add_owner_step(plan, "owner:existing_schema:" + d.name, "SCHEMA", schema_sql, *source_acl,
                                      *target_acl, what, job);
    add_acl_step(plan, "privileges:existing_schema:" + d.name, acl_target(ddl::AclObjectKind::kSchema, schema_sql),
                 *source_acl, *target_acl, moved, what, job);
  }
  if (!database_clone) return;
  const auto source_acl = read_acl(source, kDatabaseAcl, {});
  const auto target_acl = read_acl(target, kDatabaseAcl, {});
  if (!source_acl || !target_acl) return;
  const std::string database_name = target.query("SELECT pg_catalog.current_database()").get(0, 0);
  const std::string database_sql = ddl::quote_ident(database_name);
  const std::string what = "database " + database_sql;
  const bool moved = add_owner_step(plan, "owner:database", "DATABASE", database_sql, *source_acl, *target_acl, what, job);
  if (moved) require_createdb(target, database_sql, job);
  add_acl_step(plan, "privileges:database", acl_target(ddl::AclObjectKind::kDatabase, database_sql), *source_acl,
               *target_acl, moved, what, job);
  add_system_object_privilege_steps(source, target, job, plan);
  plan::add_database_security_label_steps(plan, catalog::read_database_security_labels(source), database_sql);
  add_database_settings_steps(
      source, target, database_name,
      [&] {
        // After the owner step the caller is a member of the new owner (check_owners_assignable).
        if (!moved) require_owner_rights(*target_acl, "the settings of " + what, job);
      }, job, plan);
}

}  // namespace pgclone::agent::clone
