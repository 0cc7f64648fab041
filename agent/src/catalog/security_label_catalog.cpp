#include "catalog/security_label_catalog.h"

#include "catalog/dependency_reader.h"

namespace pgclone::agent::catalog {
namespace {

// The plain name each reader reports (SecurityLabel::name).
constexpr const char* kColumnName = "coalesce(a.attname::pg_catalog.text, '')";
constexpr const char* kRoleOrDatabaseName =
    "coalesce((SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = l.objoid"
    "  AND l.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass),"
    " (SELECT d.datname FROM pg_catalog.pg_database d WHERE d.oid = l.objoid"
    "  AND l.classoid = 'pg_catalog.pg_database'::pg_catalog.regclass), '')";

// Columns classoid, objoid, objsubid, provider, label, type, identity, name;
// from pg_seclabel or pg_shseclabel (which has no objsubid).
std::string labels_select(bool shared, const std::string& name_sql) {
  const std::string subid = shared ? "0" : "l.objsubid";
  return "SELECT l.classoid::pg_catalog.oid AS classoid, l.objoid, " + subid +
         " AS objsubid, l.provider, l.label, i.type, i.identity, " + name_sql + " AS name"
         " FROM " + (shared ? "pg_catalog.pg_shseclabel" : "pg_catalog.pg_seclabel") +
         " l CROSS JOIN LATERAL pg_catalog.pg_identify_object(l.classoid, l.objoid, " + subid + ") i"
         " LEFT JOIN pg_catalog.pg_attribute a ON l.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
         " AND a.attrelid = l.objoid AND a.attnum = " + subid + " AND " + subid + " > 0";
}

std::vector<SecurityLabel> labels_from(const pg::Result& r) {
  std::vector<SecurityLabel> out;
  for (int i = 0; i < r.rows(); ++i) {
    SecurityLabel l;
    l.key = object_key(static_cast<unsigned>(r.get_int(i, "classoid")), r.get(i, "objoid"));
    l.subid = static_cast<int>(r.get_int(i, "objsubid"));
    l.name = r.get(i, "name");
    l.provider = r.get(i, "provider");
    l.label = r.get(i, "label");
    l.kind = r.get(i, "type");
    l.identity = r.get(i, "identity");
    out.push_back(std::move(l));
  }
  return out;
}

constexpr const char* kOrder = " ORDER BY l.classoid, l.objoid, 3, l.provider";

}  // namespace

std::vector<SecurityLabel> read_security_labels(pg::Connection& conn) {
  return labels_from(conn.query(labels_select(false, kColumnName) + kOrder));
}

std::vector<SecurityLabel> read_table_security_labels(pg::Connection& conn, const std::string& table_oid) {
  // A sequence's name: the column of this table that owns it.
  const std::string sql = labels_select(
      false, "coalesce(a.attname::pg_catalog.text, (SELECT o.attname::pg_catalog.text FROM pg_catalog.pg_depend d"
             " JOIN pg_catalog.pg_attribute o ON o.attrelid = d.refobjid AND o.attnum = d.refobjsubid"
             " WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = l.objoid"
             " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = $1::pg_catalog.oid"
             " AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')), '')");
  return labels_from(conn.query(
      sql +
          " WHERE l.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
          " AND (l.objoid = $1::pg_catalog.oid"
          // owned (serial, identity)
          "  OR l.objoid IN (SELECT d.objid FROM pg_catalog.pg_depend d"
          "   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = $1::pg_catalog.oid"
          "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0"
          "   AND d.deptype IN ('a', 'i'))"
          // called by a column default
          "  OR l.objoid IN (SELECT d.refobjid FROM pg_catalog.pg_depend d"
          "   JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid AND ad.adrelid = $1::pg_catalog.oid"
          "   WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
          "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass))" +
          kOrder,
      {table_oid}));
}

std::vector<SecurityLabel> read_database_security_labels(pg::Connection& conn) {
  return labels_from(conn.query(
      labels_select(true, kRoleOrDatabaseName) +
      " WHERE l.classoid = 'pg_catalog.pg_database'::pg_catalog.regclass"
      " AND l.objoid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())" +
      kOrder));
}

std::vector<SecurityLabel> read_role_security_labels(pg::Connection& conn) {
  return labels_from(conn.query(labels_select(true, kRoleOrDatabaseName) +
                                " WHERE l.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass" + kOrder));
}

}  // namespace pgclone::agent::catalog
