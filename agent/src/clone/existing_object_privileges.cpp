#include "clone/existing_object_privileges.h"

#include <algorithm>
#include <optional>

#include "catalog/catalog_sql.h"
#include "ddl/privilege_ddl.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

struct OwnedAcl {
  std::string owner;
  std::vector<std::string> acl;  // never NULL: acldefault() when the catalog has NULL
  bool caller_may_change = true;
};

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

// Does the statement survive the "privileges" option? (Revocations always do.)
bool applied(const ddl::PrivilegeStatement& s, protocol::PrivilegesMode mode) {
  return !s.grant || s.to_owner || mode != protocol::PrivilegesMode::kNone;
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

// Adds a privileges step turning `target`'s ACL into `source`'s.
void add_acl_step(plan::ClonePlan& plan, const std::string& id, ddl::AclObjectKind kind, const std::string& name_sql,
                  const OwnedAcl& source, const OwnedAcl& target, const std::string& what, const jobs::Job& job) {
  ddl::AclObject object;
  object.kind = kind;
  object.target = name_sql;
  object.owner = source.owner;
  object.acl = source.acl;
  object.owner_sql = ddl::quote_ident(target.owner);
  object.baseline = target.acl;
  object.baseline_owner = target.owner;
  std::vector<ddl::PrivilegeStatement> statements = ddl::privilege_statements(object);
  bool any = false;
  for (const auto& s : statements) any = any || applied(s, job.options().privileges);
  if (!any) return;
  require_owner_rights(target, what, job);
  plan::Step step;
  step.id = id;
  step.kind = "privileges";
  step.description = "privileges of " + what;
  step.section = plan::Section::kLast;
  for (const auto& s : statements) step.statements.push_back(s.sql);
  plan.privileges[id] = std::move(statements);
  plan.steps.push_back(std::move(step));
}

// These GUCs hold lists of names, stored already quoted ("$user", public).
bool is_list_setting(const std::string& name) {
  for (const char* list : {"search_path", "temp_tablespaces", "local_preload_libraries", "session_preload_libraries",
                           "shared_preload_libraries", "unix_socket_directories"})
    if (name == list) return true;
  return false;
}

void add_database_settings_step(pg::Connection& source, pg::Connection& target, const OwnedAcl& database,
                                const std::string& database_sql, const jobs::Job& job, plan::ClonePlan& plan) {
  pg::Result r = source.query(
      "SELECT c FROM pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c"
      " WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
      " AND s.setrole = 0");
  pg::Result here = target.query(
      "SELECT c FROM pg_catalog.pg_db_role_setting s, pg_catalog.unnest(s.setconfig) c"
      " WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
      " AND s.setrole = 0");
  std::vector<std::string> present;
  for (int i = 0; i < here.rows(); ++i) present.push_back(here.get(i, 0));
  plan::Step step;
  step.id = "database_settings";
  step.kind = "database_settings";
  step.description = "settings of the database";
  step.section = plan::Section::kLast;
  for (int i = 0; i < r.rows(); ++i) {
    const std::string setting = r.get(i, 0);
    const std::size_t eq = setting.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = setting.substr(0, eq), value = setting.substr(eq + 1);
    // pgclone.* locate this server's agent: the target keeps its own.
    if (name.rfind("pgclone.", 0) == 0) continue;
    if (std::find(present.begin(), present.end(), setting) != present.end()) continue;
    step.statements.push_back("ALTER DATABASE " + database_sql + " SET " + ddl::quote_ident(name) + " TO " +
                              (is_list_setting(name) ? value : ddl::quote_literal(value)));
  }
  if (step.statements.empty()) return;
  require_owner_rights(database, "the settings of database " + database_sql, job);
  plan.steps.push_back(std::move(step));
}

}  // namespace

void add_existing_object_steps(pg::Connection& source, pg::Connection& target,
                               const std::vector<SchemaDisposition>& dispositions, bool database_clone,
                               const jobs::Job& job, plan::ClonePlan& plan) {
  for (const SchemaDisposition& d : dispositions) {
    if (!d.clone || d.create) continue;  // skipped, or created (its own privilege step)
    const auto source_acl = read_acl(source, kSchemaAcl, {d.name});
    const auto target_acl = read_acl(target, kSchemaAcl, {d.name});
    if (!source_acl || !target_acl) continue;
    add_acl_step(plan, "privileges:existing_schema:" + d.name, ddl::AclObjectKind::kSchema, ddl::quote_ident(d.name),
                 *source_acl, *target_acl, "schema " + ddl::quote_ident(d.name), job);
  }
  if (!database_clone) return;
  const auto source_acl = read_acl(source, kDatabaseAcl, {});
  const auto target_acl = read_acl(target, kDatabaseAcl, {});
  if (!source_acl || !target_acl) return;
  const std::string database_sql = ddl::quote_ident(target.query("SELECT pg_catalog.current_database()").get(0, 0));
  add_acl_step(plan, "privileges:database", ddl::AclObjectKind::kDatabase, database_sql, *source_acl, *target_acl,
               "database " + database_sql, job);
  add_database_settings_step(source, target, *target_acl, database_sql, job, plan);
}

}  // namespace pgclone::agent::clone
