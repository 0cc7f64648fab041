#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::string description_sql(const std::string& oid_expr, const std::string& catalog, const std::string& sub) {
  return "(SELECT d.description FROM pg_catalog.pg_description d WHERE d.objoid = " + oid_expr +
         " AND d.classoid = '" + catalog + "'::pg_catalog.regclass AND d.objsubid = " + sub + ")";
}

std::string not_extension_member_sql(const std::string& catalog, const std::string& oid_expr) {
  return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = '" + catalog +
         "'::pg_catalog.regclass AND xd.objid = " + oid_expr + " AND xd.deptype = 'e')";
}

std::string text_array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::string qualified_relation_sql(const std::string& oid_expr) {
  return "(SELECT pg_catalog.quote_ident(qn.nspname) || '.' || pg_catalog.quote_ident(qc.relname)"
         " FROM pg_catalog.pg_class qc JOIN pg_catalog.pg_namespace qn ON qn.oid = qc.relnamespace"
         " WHERE qc.oid = " + oid_expr + ")";
}

std::string qualified_function_sql(const std::string& oid_expr) {
  return "(SELECT pg_catalog.quote_ident(qn.nspname) || '.' || pg_catalog.quote_ident(qp.proname)"
         " FROM pg_catalog.pg_proc qp JOIN pg_catalog.pg_namespace qn ON qn.oid = qp.pronamespace"
         " WHERE qp.oid = " + oid_expr + ")";
}

std::vector<std::string> array_column(const pg::Result& r, int row, const char* column) {
  auto v = r.get_optional(row, column);
  if (!v || v->empty()) return {};
  return pg::parse_text_array(*v);
}

// The subqueries use aliases of their own (oa, da, dd) so that an outer
// expression such as "a.attrelid" can never be captured by an inner alias.
std::string ordered_attnames_sql(const std::string& table_oid_expr, const std::string& attnums_expr) {
  return "ARRAY(SELECT oa.attname FROM pg_catalog.unnest(" + attnums_expr +
         ") WITH ORDINALITY ok(attnum, ord) JOIN pg_catalog.pg_attribute oa ON oa.attrelid = " + table_oid_expr +
         " AND oa.attnum = ok.attnum ORDER BY ok.ord)";
}

std::string depended_columns_sql(const std::string& catalog, const std::string& objid_expr,
                                 const std::string& table_oid_expr, const std::string& extra_attnums_expr) {
  return "ARRAY(SELECT da.attname FROM pg_catalog.pg_attribute da WHERE da.attrelid = " + table_oid_expr +
         " AND da.attnum > 0 AND NOT da.attisdropped AND (da.attnum = ANY (" + extra_attnums_expr +
         ") OR da.attnum IN (SELECT dd.refobjsubid FROM pg_catalog.pg_depend dd"
         " WHERE dd.classid = '" + catalog + "'::pg_catalog.regclass AND dd.objid = " + objid_expr +
         " AND dd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dd.refobjid = " + table_oid_expr +
         " AND dd.refobjsubid > 0)) ORDER BY da.attnum)";
}

std::string oid_array_literal(const std::vector<std::string>& oids) {
  std::string out = "{";
  for (size_t i = 0; i < oids.size(); ++i) {
    if (i) out += ',';
    out += oids[i];
  }
  return out + "}";
}

// Some server builds keep their own bookkeeping in attoptions (pg_attver=...,
// set by the server and skipped by that build's pg_dump). Stock options
// (n_distinct, n_distinct_inherited) never start with "pg_".
std::string column_options_sql() {
  return
    "SELECT a.attrelid, a.attnum, o.option_name, o.option_value FROM pg_catalog.pg_attribute a,"
    " pg_catalog.pg_options_to_table(a.attoptions) o"
    " WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
    " AND a.attoptions IS NOT NULL AND pg_catalog.left(o.option_name, 3) <> 'pg_'"
    " ORDER BY a.attrelid, a.attnum";
}

}  // namespace pgclone::agent::catalog
