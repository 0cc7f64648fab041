#include "catalog/type_catalog.h"

#include <map>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

const char* kCollationName =
    "pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)";

void read_enum_labels(pg::Connection& conn, std::map<std::string, TypeDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT e.enumtypid, e.enumlabel FROM pg_catalog.pg_enum e"
      " WHERE e.enumtypid = ANY ($1::pg_catalog.oid[]) ORDER BY e.enumtypid, e.enumsortorder",
      {[&] {
        std::vector<std::string> oids;
        for (const auto& [oid, t] : by_oid)
          if (t->kind == 'e') oids.push_back(oid);
        return text_array_literal(oids);
      }()});
  for (int i = 0; i < r.rows(); ++i) by_oid.at(r.get(i, "enumtypid"))->labels.push_back(r.get(i, "enumlabel"));
}

void read_domain_constraints(pg::Connection& conn, std::map<std::string, TypeDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT co.oid, co.contypid, co.conname, pg_catalog.pg_get_constraintdef(co.oid) AS definition, co.convalidated, " +
      description_sql("co.oid", "pg_catalog.pg_constraint") +
      " AS comment FROM pg_catalog.pg_constraint co WHERE co.contypid <> 0 AND co.contype = 'c'"
      " ORDER BY co.contypid, co.conname");
  for (int i = 0; i < r.rows(); ++i) {
    auto it = by_oid.find(r.get(i, "contypid"));
    if (it == by_oid.end()) continue;
    it->second->constraints.push_back(
        {r.get(i, "conname"), r.get(i, "definition"), r.get_bool(i, "convalidated"), r.get_optional(i, "comment"),
         r.get(i, "oid")});
  }
}

void read_attributes(pg::Connection& conn, std::map<std::string, TypeDefinition*>& by_oid) {
  pg::Result r = conn.query(
      std::string("SELECT t.oid AS type_oid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
                  " CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN ") +
      kCollationName + " END AS collation, " + description_sql("a.attrelid", "pg_catalog.pg_class", "a.attnum") +
      " AS comment FROM pg_catalog.pg_type t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid"
      " JOIN pg_catalog.pg_type at ON at.oid = a.atttypid"
      " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
      " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
      " WHERE t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY t.oid, a.attnum");
  for (int i = 0; i < r.rows(); ++i) {
    auto it = by_oid.find(r.get(i, "type_oid"));
    if (it == by_oid.end()) continue;
    it->second->attributes.push_back(
        {r.get(i, "attname"), r.get(i, "type"), r.get_optional(i, "collation"), r.get_optional(i, "comment")});
  }
}

}  // namespace

std::vector<TypeDefinition> read_types(pg::Connection& conn, const std::vector<std::string>& schemas) {
  // Domain and range texts need no quoting help: format_type, regproc and
  // pg_get_expr print qualified, quoted names under search_path = ''.
  pg::Result r = conn.query(
      std::string("SELECT t.oid, n.nspname, t.typname, t.typtype, ") +
          description_sql("t.oid", "pg_catalog.pg_type") +
          " AS comment,"
          " pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull,"
          " pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS default_expr,"
          " CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN " +
          kCollationName +
          " END AS collation,"
          " pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,"
          " CASE WHEN NOT oc.opcdefault THEN pg_catalog.quote_ident(ocn.nspname) || '.' ||"
          "   pg_catalog.quote_ident(oc.opcname) END AS subtype_opclass,"
          " CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN"
          "   (SELECT pg_catalog.quote_ident(rcn.nspname) || '.' || pg_catalog.quote_ident(rco.collname)"
          "    FROM pg_catalog.pg_collation rco JOIN pg_catalog.pg_namespace rcn ON rcn.oid = rco.collnamespace"
          "    WHERE rco.oid = r.rngcollation) END AS range_collation,"
          " NULLIF(r.rngcanonical, 0)::pg_catalog.regproc::pg_catalog.text AS canonical,"
          " NULLIF(r.rngsubdiff, 0)::pg_catalog.regproc::pg_catalog.text AS subtype_diff,"
          " r.rngmultitypid::pg_catalog.regtype::pg_catalog.text AS multirange"
          " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
          " LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype"
          " LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation"
          " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
          " LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid"
          " LEFT JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype"
          " LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc"
          " LEFT JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND t.typtype IN ('e', 'd', 'c', 'r')"
          " AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')"
          " AND " + not_extension_member_sql("pg_catalog.pg_type", "t.oid") + " ORDER BY n.nspname, t.typname",
      {text_array_literal(schemas)});
  std::vector<TypeDefinition> out(static_cast<size_t>(r.rows()));
  std::map<std::string, TypeDefinition*> by_oid;
  for (int i = 0; i < r.rows(); ++i) {
    TypeDefinition& t = out[static_cast<size_t>(i)];
    t.oid = r.get(i, "oid");
    t.schema = r.get(i, "nspname");
    t.name = r.get(i, "typname");
    t.kind = r.get(i, "typtype")[0];
    t.comment = r.get_optional(i, "comment");
    if (t.kind == 'd') {
      t.base_type = r.get(i, "base_type");
      t.not_null = r.get_bool(i, "typnotnull");
      t.default_expr = r.get_optional(i, "default_expr");
      t.collation = r.get_optional(i, "collation");
    } else if (t.kind == 'r') {
      t.subtype = r.get(i, "subtype");
      t.subtype_opclass = r.get_optional(i, "subtype_opclass");
      t.range_collation = r.get_optional(i, "range_collation");
      t.canonical = r.get_optional(i, "canonical");
      t.subtype_diff = r.get_optional(i, "subtype_diff");
      t.multirange = r.get(i, "multirange");
    }
    by_oid[t.oid] = &t;
  }
  if (out.empty()) return out;
  read_enum_labels(conn, by_oid);
  read_domain_constraints(conn, by_oid);
  read_attributes(conn, by_oid);
  return out;
}

namespace {

// The closure of the types in `start` (a query of one oid column, using
// $2... for `start_params`), then the user types in it outside the schemas in $1.
std::vector<UsedType> read_used_types(pg::Connection& conn, const std::string& start,
                                      const std::vector<std::string>& excluded_schemas,
                                      const std::vector<std::string>& start_params) {
  std::vector<std::optional<std::string>> params{text_array_literal(excluded_schemas)};
  params.insert(params.end(), start_params.begin(), start_params.end());
  pg::Result r = conn.query(
      "WITH RECURSIVE used(oid, depth) AS ("
      "  SELECT s.oid, 0 FROM (" + start + ") s(oid)"
      "  UNION ALL"
      "  SELECT x.oid, used.depth + 1 FROM used JOIN pg_catalog.pg_type t ON t.oid = used.oid"
      "  CROSS JOIN LATERAL ("
      "    SELECT t.typelem WHERE t.typelem <> 0"
      "    UNION ALL SELECT t.typbasetype WHERE t.typtype = 'd'"
      "    UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE t.typtype = 'c'"
      "      AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped"
      "    UNION ALL SELECT rg.rngsubtype FROM pg_catalog.pg_range rg WHERE t.typtype = 'r' AND rg.rngtypid = t.oid"
      "    UNION ALL SELECT rg.rngtypid FROM pg_catalog.pg_range rg WHERE t.typtype = 'm' AND rg.rngmultitypid = t.oid"
      "  ) x(oid) WHERE used.depth < 32)"
      " SELECT t.oid, n.nspname, t.typname, max(used.depth) AS depth"
      " FROM used JOIN pg_catalog.pg_type t ON t.oid = used.oid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
      " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT (n.nspname = ANY ($1::pg_catalog.text[]))"
      " AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
      "      WHERE c.oid = t.typrelid AND c.relkind = 'c')))"
      " AND " + not_extension_member_sql("pg_catalog.pg_type", "t.oid") +
      " GROUP BY t.oid, n.nspname, t.typname ORDER BY 4 DESC, 2, 3",
      params);
  std::vector<UsedType> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2), static_cast<int>(r.get_int(i, "depth"))});
  return out;
}

}  // namespace

std::vector<UsedType> read_types_used_by_relations(pg::Connection& conn, const std::vector<std::string>& relation_oids,
                                                   const std::vector<std::string>& columns) {
  return read_used_types(conn,
                         "SELECT a.atttypid FROM pg_catalog.pg_attribute a"
                         " WHERE a.attrelid = ANY ($2::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
                         " AND (pg_catalog.cardinality($3::pg_catalog.text[]) = 0 OR a.attname = ANY ($3::pg_catalog.text[]))",
                         {}, {text_array_literal(relation_oids), text_array_literal(columns)});
}

std::vector<UsedType> read_types_used_by_schemas(pg::Connection& conn, const std::vector<std::string>& schemas) {
  return read_used_types(
      conn,
      "SELECT d.refobjid FROM pg_catalog.pg_depend d"
      " WHERE d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.deptype = 'n' AND ("
      "  (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid IN (SELECT c.oid FROM pg_catalog.pg_class c"
      "     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY ($2::pg_catalog.text[])))"
      "  OR (d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid IN (SELECT p.oid FROM pg_catalog.pg_proc p"
      "     JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY ($2::pg_catalog.text[])))"
      "  OR (d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid IN (SELECT t.oid FROM pg_catalog.pg_type t"
      "     JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY ($2::pg_catalog.text[]))))",
      schemas, {text_array_literal(schemas)});
}

}  // namespace pgclone::agent::catalog
