#include "catalog/conversion_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<ConversionDefinition> read_conversions(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT c.oid, n.nspname, c.conname, pg_catalog.pg_encoding_to_char(c.conforencoding) AS from_encoding,"
      " pg_catalog.pg_encoding_to_char(c.contoencoding) AS to_encoding, " + qualified_function_sql("c.conproc") +
          " AS function, c.condefault, " + description_sql("c.oid", "pg_catalog.pg_conversion") +
          " AS comment FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " +
          not_extension_member_sql("pg_catalog.pg_conversion", "c.oid") + " ORDER BY n.nspname, c.conname",
      {text_array_literal(schemas)});
  std::vector<ConversionDefinition> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get(i, "nspname"), r.get(i, "conname"), r.get(i, "from_encoding"),
                   r.get(i, "to_encoding"), r.get(i, "function"), r.get_bool(i, "condefault"),
                   r.get_optional(i, "comment")});
  return out;
}

std::vector<CastDefinition> read_casts(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT c.oid, pg_catalog.format_type(c.castsource, NULL) AS source_type,"
      " pg_catalog.format_type(c.casttarget, NULL) AS target_type, c.castmethod,"
      " CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::pg_catalog.text END AS function,"
      " c.castcontext, " + description_sql("c.oid", "pg_catalog.pg_cast") +
      " AS comment FROM pg_catalog.pg_cast c WHERE c.oid >= 16384"
      // Casts a type made for itself (a range's to its multirange) come with it.
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass"
      "   AND d.objid = c.oid AND d.deptype = 'i') AND " +
      not_extension_member_sql("pg_catalog.pg_cast", "c.oid") + " ORDER BY 2, 3");
  std::vector<CastDefinition> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get(i, "source_type"), r.get(i, "target_type"), r.get(i, "castmethod")[0],
                   r.get(i, "function"), r.get(i, "castcontext")[0], r.get_optional(i, "comment")});
  return out;
}

std::vector<TransformDefinition> read_transforms(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT t.oid, pg_catalog.format_type(t.trftype, NULL) AS type, pg_catalog.quote_ident(l.lanname) AS language,"
      " CASE WHEN t.trffromsql <> 0 THEN t.trffromsql::pg_catalog.regprocedure::pg_catalog.text END AS from_sql,"
      " CASE WHEN t.trftosql <> 0 THEN t.trftosql::pg_catalog.regprocedure::pg_catalog.text END AS to_sql, " +
      description_sql("t.oid", "pg_catalog.pg_transform") +
      " AS comment FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l ON l.oid = t.trflang"
      " WHERE t.oid >= 16384 AND " + not_extension_member_sql("pg_catalog.pg_transform", "t.oid") + " ORDER BY 2, 3");
  std::vector<TransformDefinition> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get(i, "type"), r.get(i, "language"), r.get(i, "from_sql"),
                   r.get(i, "to_sql"), r.get_optional(i, "comment")});
  return out;
}

}  // namespace pgclone::agent::catalog
