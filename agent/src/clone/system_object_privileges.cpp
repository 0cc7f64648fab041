#include "clone/system_object_privileges.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_sql.h"
#include "clone/existing_acl_step.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::clone {
namespace {

// Every row: key, kind, schema, name, arguments, column_name, owner, acl
// (never NULL), changed (differs from pg_init_privs), may_change. The rows
// changed, and those whose key is in $1.
const char* kSystemAcls =
    "SELECT x.kind || '|' || x.schema || '|' || x.name || '|' || x.arguments || '|' || x.column_name AS key,"
    " x.kind, x.schema, x.name, x.arguments, x.column_name, pg_catalog.pg_get_userbyid(x.owner_oid) AS owner,"
    " x.acl::pg_catalog.text[] AS acl, x.changed, pg_catalog.pg_has_role(x.owner_oid, 'USAGE') AS may_change"
    " FROM ("
    "  SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind, n.nspname::pg_catalog.text AS schema,"
    "   c.relname::pg_catalog.text AS name, '' AS arguments, '' AS column_name, c.relowner AS owner_oid,"
    "   coalesce(c.relacl, pg_catalog.acldefault((CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END)::pg_catalog.\"char\", c.relowner)) AS acl,"
    "   c.relacl IS DISTINCT FROM (SELECT i.initprivs FROM pg_catalog.pg_init_privs i"
    "     WHERE i.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objoid = c.oid AND i.objsubid = 0)"
    "     AS changed"
    "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')"
    "  UNION ALL"
    "  SELECT 'column', n.nspname, c.relname, '', a.attname, c.relowner, coalesce(a.attacl, '{}'),"
    "   a.attacl IS DISTINCT FROM (SELECT i.initprivs FROM pg_catalog.pg_init_privs i"
    "     WHERE i.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.objoid = c.oid"
    "     AND i.objsubid = a.attnum)"
    "  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
    "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm', 'f', 'p')"
    "  AND a.attnum > 0 AND NOT a.attisdropped"
    "  UNION ALL"
    "  SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, n.nspname, p.proname,"
    "   pg_catalog.pg_get_function_identity_arguments(p.oid), '', p.proowner,"
    "   coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner)),"
    "   p.proacl IS DISTINCT FROM (SELECT i.initprivs FROM pg_catalog.pg_init_privs i"
    "     WHERE i.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objoid = p.oid AND i.objsubid = 0)"
    "  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
    "  WHERE n.nspname IN ('pg_catalog', 'information_schema')"
    " ) x"
    " WHERE x.changed OR x.kind || '|' || x.schema || '|' || x.name || '|' || x.arguments || '|' || x.column_name"
    "   = ANY ($1::pg_catalog.text[])";

struct SystemAcl {
  std::string kind, schema, name, arguments, column;
  OwnedAcl acl;
  bool changed = false;
};

void read_into(pg::Connection& conn, const std::set<std::string>& keys, std::map<std::string, SystemAcl>& out) {
  pg::Result r = conn.query(kSystemAcls, {catalog::text_array_literal({keys.begin(), keys.end()})});
  for (int i = 0; i < r.rows(); ++i) {
    SystemAcl a;
    a.kind = r.get(i, "kind");
    a.schema = r.get(i, "schema");
    a.name = r.get(i, "name");
    a.arguments = r.get(i, "arguments");
    a.column = r.get(i, "column_name");
    a.acl.owner = r.get(i, "owner");
    a.acl.acl = catalog::array_column(r, i, "acl");
    a.acl.caller_may_change = r.get_bool(i, "may_change");
    a.changed = r.get_bool(i, "changed");
    out[r.get(i, "key")] = std::move(a);
  }
}

std::set<std::string> changed_keys(const std::map<std::string, SystemAcl>& acls) {
  std::set<std::string> out;
  for (const auto& [key, acl] : acls)
    if (acl.changed) out.insert(key);
  return out;
}

ddl::AclObject object_of(const SystemAcl& a) {
  const std::string relation = ddl::qualified_name(a.schema, a.name);
  if (a.kind == "column") return acl_target(ddl::AclObjectKind::kColumn, relation, ddl::quote_ident(a.column));
  if (a.kind == "sequence") return acl_target(ddl::AclObjectKind::kSequence, relation);
  if (a.kind == "table") return acl_target(ddl::AclObjectKind::kTable, relation);
  return acl_target(a.kind == "procedure" ? ddl::AclObjectKind::kProcedure : ddl::AclObjectKind::kFunction,
                    relation + "(" + a.arguments + ")");
}

std::string shown(const SystemAcl& a) {
  if (a.kind == "column") return "column " + ddl::quote_ident(a.column) + " of " + ddl::qualified_name(a.schema, a.name);
  if (a.kind == "function" || a.kind == "procedure")
    return a.kind + " " + ddl::qualified_name(a.schema, a.name) + "(" + a.arguments + ")";
  return a.kind + " " + ddl::qualified_name(a.schema, a.name);
}

}  // namespace

void add_system_object_privilege_steps(pg::Connection& source, pg::Connection& target, const jobs::Job& job,
                                       plan::ClonePlan& plan) {
  std::map<std::string, SystemAcl> on_source, on_target;
  read_into(source, {}, on_source);
  read_into(target, changed_keys(on_source), on_target);
  std::set<std::string> only_target_changed;
  for (const std::string& key : changed_keys(on_target))
    if (!on_source.count(key)) only_target_changed.insert(key);
  if (!only_target_changed.empty()) read_into(source, only_target_changed, on_source);
  for (const auto& [key, s] : on_source) {
    const auto t = on_target.find(key);
    // An object only one server has (another minor version, an extension's
    // function in pg_catalog) has nothing to compare with.
    if (t == on_target.end() || (!s.changed && !t->second.changed)) continue;
    add_acl_step(plan, "privileges:system:" + key, object_of(s), s.acl, t->second.acl, false, shown(s), job);
  }
}

}  // namespace pgclone::agent::clone
