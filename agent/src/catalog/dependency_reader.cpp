#include "catalog/dependency_reader.h"

namespace pgclone::agent::catalog {

namespace {

// SQL for the normalised key of (catalog, object).
std::string normalised_key(const std::string& cls, const std::string& obj) {
  return "CASE"
         " WHEN " + cls + " = 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN"
         "  (SELECT CASE WHEN ru.rulename = '_RETURN' THEN '1259:' || ru.ev_class ELSE '2618:' || ru.oid END"
         "   FROM pg_catalog.pg_rewrite ru WHERE ru.oid = " + obj + ")"
         " WHEN " + cls + " = 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN"
         "  (SELECT '1259:' || ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = " + obj + ")"
         " WHEN " + cls + " = 'pg_catalog.pg_type'::pg_catalog.regclass THEN"
         "  (SELECT CASE WHEN rc.relkind IS NOT NULL AND rc.relkind <> 'c' THEN '1259:' || rc.oid"
         "   ELSE '1247:' || COALESCE(el.oid, ty.oid) END FROM pg_catalog.pg_type ty"
         "   LEFT JOIN pg_catalog.pg_type el ON el.oid = ty.typelem AND el.typarray = ty.oid"
         "   LEFT JOIN pg_catalog.pg_class rc ON rc.oid = COALESCE(el.typrelid, ty.typrelid)"
         "   WHERE ty.oid = " + obj + ")"
         " WHEN " + cls + " = 'pg_catalog.pg_class'::pg_catalog.regclass THEN"
         "  (SELECT CASE WHEN c.relkind = 'c' THEN '1247:' || c.reltype ELSE '1259:' || c.oid END"
         "   FROM pg_catalog.pg_class c WHERE c.oid = " + obj + ")"
         " ELSE " + cls + "::pg_catalog.oid || ':' || " + obj + " END";
}

// True when (catalog, object) is a type that stands for a relation's row type.
std::string row_type_reference(const std::string& cls, const std::string& obj) {
  return "(" + cls + " = 'pg_catalog.pg_type'::pg_catalog.regclass AND EXISTS (SELECT 1 FROM pg_catalog.pg_type ty"
         " LEFT JOIN pg_catalog.pg_type el ON el.oid = ty.typelem AND el.typarray = ty.oid"
         " JOIN pg_catalog.pg_class rc ON rc.oid = COALESCE(el.typrelid, ty.typrelid) AND rc.relkind <> 'c'"
         " WHERE ty.oid = " + obj + "))";
}

}  // namespace

std::string object_key(unsigned catalog_oid, const std::string& object_oid) {
  return std::to_string(catalog_oid) + ":" + object_oid;
}

std::vector<DependencyEdge> read_dependencies(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT DISTINCT k.dependent, k.referenced, k.via_row_type FROM pg_catalog.pg_depend d,"
      " LATERAL (SELECT " + normalised_key("d.classid", "d.objid") + " AS dependent, " +
      normalised_key("d.refclassid", "d.refobjid") + " AS referenced, " +
      row_type_reference("d.refclassid", "d.refobjid") + " AS via_row_type) k"
      " WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND d.refobjid >= 16384"
      " AND k.dependent <> k.referenced ORDER BY 1, 2");
  std::vector<DependencyEdge> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "dependent"), r.get(i, "referenced"), r.get_bool(i, "via_row_type")});
  return out;
}

std::vector<ExtensionUse> read_extension_uses(pg::Connection& conn) {
  // An array of an extension's type is not itself a member: look through it.
  pg::Result r = conn.query(
      "SELECT DISTINCT " + normalised_key("d.classid", "d.objid") +
      " AS dependent, x.refobjid AS extension_oid FROM pg_catalog.pg_depend d"
      " LEFT JOIN pg_catalog.pg_type arr ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass"
      "   AND arr.oid = d.refobjid AND arr.typelem <> 0"
      " JOIN pg_catalog.pg_depend x ON x.classid = d.refclassid AND x.objid = COALESCE(arr.typelem, d.refobjid)"
      "   AND x.deptype = 'e'"
      " WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384"
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend self WHERE self.classid = d.classid"
      "   AND self.objid = d.objid AND self.deptype = 'e') ORDER BY 1, 2");
  std::vector<ExtensionUse> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.get(i, "dependent"), r.get(i, "extension_oid")});
  return out;
}

std::vector<std::pair<std::string, std::string>> read_sequence_owners(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT '1259:' || d.objid AS sequence, '1259:' || d.refobjid AS owner FROM pg_catalog.pg_depend d"
      " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
      " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
      " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0"
      " AND d.deptype IN ('a', 'i') ORDER BY 1");
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.get(i, "sequence"), r.get(i, "owner"));
  return out;
}

}  // namespace pgclone::agent::catalog
