#include "catalog/base_type_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<BaseTypeDefinition> read_base_types(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT t.oid, n.nspname, t.typname, NOT t.typisdefined AS shell, " +
          qualified_function_sql("t.typinput") + " AS input, " + qualified_function_sql("t.typoutput") + " AS output, " +
          qualified_function_sql("t.typreceive") + " AS receive, " + qualified_function_sql("t.typsend") + " AS send, " +
          qualified_function_sql("t.typmodin") + " AS typmod_in, " + qualified_function_sql("t.typmodout") +
          " AS typmod_out, " + qualified_function_sql("t.typanalyze") + " AS analyze, " +
          "CASE WHEN t.typsubscript <> 'pg_catalog.raw_array_subscript_handler'::pg_catalog.regproc THEN " +
          qualified_function_sql("t.typsubscript") +
          " END AS subscript, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory, t.typispreferred,"
          " t.typdelim, CASE WHEN t.typelem <> 0 THEN pg_catalog.format_type(t.typelem, NULL) END AS element,"
          " t.typcollation <> 0 AS collatable, t.typdefault, " +
          description_sql("t.oid", "pg_catalog.pg_type") +
          " AS comment FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[])"
          " AND (t.typtype = 'b' OR (t.typtype = 'p' AND NOT t.typisdefined))"
          " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid) AND " +
          not_extension_member_sql("pg_catalog.pg_type", "t.oid") + " ORDER BY n.nspname, t.typname",
      {text_array_literal(schemas)});
  std::vector<BaseTypeDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    BaseTypeDefinition t;
    t.oid = r.get(i, "oid");
    t.schema = r.get(i, "nspname");
    t.name = r.get(i, "typname");
    t.shell = r.get_bool(i, "shell");
    t.input = r.get(i, "input");
    t.output = r.get(i, "output");
    t.receive = r.get(i, "receive");
    t.send = r.get(i, "send");
    t.typmod_in = r.get(i, "typmod_in");
    t.typmod_out = r.get(i, "typmod_out");
    t.analyze = r.get(i, "analyze");
    t.subscript = r.get(i, "subscript");
    t.length = static_cast<int>(r.get_int(i, "typlen"));
    t.by_value = r.get_bool(i, "typbyval");
    t.alignment = r.get(i, "typalign")[0];
    t.storage = r.get(i, "typstorage")[0];
    t.category = r.get(i, "typcategory");
    t.preferred = r.get_bool(i, "typispreferred");
    t.delimiter = r.get(i, "typdelim")[0];
    t.element = r.get(i, "element");
    t.collatable = r.get_bool(i, "collatable");
    t.default_value = r.get_optional(i, "typdefault");
    t.comment = r.get_optional(i, "comment");
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
