#include "catalog/policy_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

const char* kInSchemas =
    " JOIN pg_catalog.pg_class c ON c.oid = %REL%"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY ($1::pg_catalog.text[])";

std::string in_schemas(const std::string& relation_column) {
  std::string s = kInSchemas;
  s.replace(s.find("%REL%"), 5, relation_column);
  return s;
}

}  // namespace

std::vector<RowSecurity> read_row_security(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT c.oid, c.relrowsecurity, c.relforcerowsecurity FROM pg_catalog.pg_class c"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY ($1::pg_catalog.text[])"
      " AND (c.relrowsecurity OR c.relforcerowsecurity) ORDER BY c.oid",
      {text_array_literal(schemas)});
  std::vector<RowSecurity> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get_bool(i, "relrowsecurity"), r.get_bool(i, "relforcerowsecurity")});
  return out;
}

std::vector<PolicyDefinition> read_policies(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT p.oid, p.polrelid, p.polname, p.polpermissive, p.polcmd,"
      " ARRAY(SELECT CASE WHEN ro.r = 0 THEN 'public' ELSE pg_catalog.quote_ident(a.rolname) END"
      "   FROM pg_catalog.unnest(p.polroles) WITH ORDINALITY ro(r, ord)"
      "   LEFT JOIN pg_catalog.pg_roles a ON a.oid = ro.r ORDER BY ro.ord) AS roles,"
      " pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,"
      " pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr, " +
          description_sql("p.oid", "pg_catalog.pg_policy") + " AS comment FROM pg_catalog.pg_policy p" +
          in_schemas("p.polrelid") + " ORDER BY p.polrelid, p.polname",
      {text_array_literal(schemas)});
  std::vector<PolicyDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    PolicyDefinition p;
    p.oid = r.get(i, "oid");
    p.relation_oid = r.get(i, "polrelid");
    p.name = r.get(i, "polname");
    p.permissive = r.get_bool(i, "polpermissive");
    p.command = r.get(i, "polcmd")[0];
    p.roles = array_column(r, i, "roles");
    p.using_expr = r.get_optional(i, "using_expr");
    p.check_expr = r.get_optional(i, "check_expr");
    p.comment = r.get_optional(i, "comment");
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<RuleDefinition> read_rules(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT ru.oid, ru.ev_class, ru.rulename, pg_catalog.pg_get_ruledef(ru.oid) AS definition, ru.ev_enabled, " +
          description_sql("ru.oid", "pg_catalog.pg_rewrite") + " AS comment FROM pg_catalog.pg_rewrite ru" +
          in_schemas("ru.ev_class") + " AND ru.rulename <> '_RETURN' ORDER BY ru.ev_class, ru.rulename",
      {text_array_literal(schemas)});
  std::vector<RuleDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    std::string definition = r.get(i, "definition");
    while (!definition.empty() && (definition.back() == ';' || definition.back() == '\n')) definition.pop_back();
    out.push_back({r.get(i, "oid"), r.get(i, "ev_class"), r.get(i, "rulename"), definition,
                   r.get(i, "ev_enabled")[0], r.get_optional(i, "comment")});
  }
  return out;
}

}  // namespace pgclone::agent::catalog
