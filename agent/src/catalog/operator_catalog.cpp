#include "catalog/operator_catalog.h"

#include <map>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

std::string operator_reference_sql(const std::string& oid_expr) {
  return "(SELECT 'OPERATOR(' || pg_catalog.quote_ident(rn.nspname) || '.' || ro.oprname || ')'"
         " FROM pg_catalog.pg_operator ro JOIN pg_catalog.pg_namespace rn ON rn.oid = ro.oprnamespace"
         " WHERE ro.oid = " + oid_expr + " AND " + oid_expr + " <> 0)";
}

// Members of the families of the schemas, each with the class it belongs to
// (pg_depend: internal on the class) or none (auto on the family: loose).
struct MemberRow {
  std::string family_oid, class_oid;
  OperatorFamilyMember member;
};

std::vector<MemberRow> read_members(pg::Connection& conn, const std::vector<std::string>& schemas) {
  const std::string in_scope =
      " JOIN pg_catalog.pg_opfamily f ON f.oid = m.family JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace"
      " WHERE n.nspname = ANY ($1::pg_catalog.text[])";
  const std::string owning_class =
      "(SELECT d.refobjid FROM pg_catalog.pg_depend d WHERE d.classid = m.catalog::pg_catalog.regclass"
      " AND d.objid = m.oid AND d.refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass LIMIT 1)";
  pg::Result r = conn.query(
      "SELECT m.*, " + owning_class + " AS class_oid FROM ("
      "SELECT 'pg_catalog.pg_amop' AS catalog, ao.oid, ao.amopfamily AS family, true AS is_operator,"
      " ao.amopstrategy::pg_catalog.int4 AS number, ao.amopopr::pg_catalog.regoperator::pg_catalog.text AS text,"
      " '' AS left_type, '' AS right_type,"
      " CASE WHEN ao.amoppurpose = 'o' THEN (SELECT pg_catalog.quote_ident(sn.nspname) || '.' ||"
      "   pg_catalog.quote_ident(sf.opfname) FROM pg_catalog.pg_opfamily sf"
      "   JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace WHERE sf.oid = ao.amopsortfamily) END AS sort_family"
      " FROM pg_catalog.pg_amop ao"
      " UNION ALL SELECT 'pg_catalog.pg_amproc', ap.oid, ap.amprocfamily, false, ap.amprocnum::pg_catalog.int4,"
      " ap.amproc::pg_catalog.regprocedure::pg_catalog.text, pg_catalog.format_type(ap.amproclefttype, NULL),"
      " pg_catalog.format_type(ap.amprocrighttype, NULL), NULL FROM pg_catalog.pg_amproc ap) m" + in_scope +
      " ORDER BY m.family, NOT m.is_operator, m.number, m.text",
      {text_array_literal(schemas)});
  std::vector<MemberRow> out;
  for (int i = 0; i < r.rows(); ++i) {
    MemberRow row;
    row.family_oid = r.get(i, "family");
    row.class_oid = r.get(i, "class_oid");
    row.member.oid = r.get(i, "oid");
    row.member.is_operator = r.get_bool(i, "is_operator");
    row.member.number = static_cast<int>(r.get_int(i, "number"));
    row.member.text = r.get(i, "text");
    row.member.left_type = r.get(i, "left_type");
    row.member.right_type = r.get(i, "right_type");
    row.member.sort_family = r.get(i, "sort_family");
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

std::vector<OperatorDefinition> read_operators(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT o.oid, n.nspname, o.oprname,"
      " CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS left_type,"
      " CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END AS right_type, " +
          qualified_function_sql("o.oprcode") + " AS function, " + operator_reference_sql("o.oprcom") +
          " AS commutator, " + operator_reference_sql("o.oprnegate") + " AS negator, " +
          qualified_function_sql("o.oprrest") + " AS restrict_function, " + qualified_function_sql("o.oprjoin") +
          " AS join_function, o.oprcanhash, o.oprcanmerge, " + description_sql("o.oid", "pg_catalog.pg_operator") +
          " AS comment FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND o.oprcode <> 0 AND " +
          not_extension_member_sql("pg_catalog.pg_operator", "o.oid") + " ORDER BY n.nspname, o.oprname, o.oid",
      {text_array_literal(schemas)});
  std::vector<OperatorDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    OperatorDefinition o;
    o.oid = r.get(i, "oid");
    o.schema = r.get(i, "nspname");
    o.name = r.get(i, "oprname");
    o.left_type = r.get(i, "left_type");
    o.right_type = r.get(i, "right_type");
    o.function = r.get(i, "function");
    o.commutator = r.get(i, "commutator");
    o.negator = r.get(i, "negator");
    o.restrict_function = r.get(i, "restrict_function");
    o.join_function = r.get(i, "join_function");
    o.hashes = r.get_bool(i, "oprcanhash");
    o.merges = r.get_bool(i, "oprcanmerge");
    o.comment = r.get_optional(i, "comment");
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<OperatorFamilyDefinition> read_operator_families(pg::Connection& conn,
                                                             const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT f.oid, n.nspname, f.opfname, pg_catalog.quote_ident(am.amname) AS am, " +
          description_sql("f.oid", "pg_catalog.pg_opfamily") +
          " AS comment FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace"
          " JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " +
          not_extension_member_sql("pg_catalog.pg_opfamily", "f.oid") + " ORDER BY n.nspname, f.opfname, am.amname",
      {text_array_literal(schemas)});
  std::vector<OperatorFamilyDefinition> out;
  std::map<std::string, size_t> by_oid;
  for (int i = 0; i < r.rows(); ++i) {
    by_oid[r.get(i, "oid")] = out.size();
    out.push_back({r.get(i, "oid"), r.get(i, "nspname"), r.get(i, "opfname"), r.get(i, "am"), {},
                   r.get_optional(i, "comment")});
  }
  if (out.empty()) return out;
  for (auto& row : read_members(conn, schemas)) {
    auto it = by_oid.find(row.family_oid);
    if (it != by_oid.end() && row.class_oid.empty()) out[it->second].loose_members.push_back(std::move(row.member));
  }
  return out;
}

std::vector<OperatorClassDefinition> read_operator_classes(pg::Connection& conn,
                                                           const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT c.oid, n.nspname, c.opcname, pg_catalog.quote_ident(am.amname) AS am,"
      " pg_catalog.format_type(c.opcintype, NULL) AS input_type, c.opcdefault,"
      " pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname) AS family,"
      " CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage_type, " +
          description_sql("c.oid", "pg_catalog.pg_opclass") +
          " AS comment FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace"
          " JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily"
          " JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " +
          not_extension_member_sql("pg_catalog.pg_opclass", "c.oid") + " ORDER BY n.nspname, c.opcname, am.amname",
      {text_array_literal(schemas)});
  std::vector<OperatorClassDefinition> out;
  std::map<std::string, size_t> by_oid;
  for (int i = 0; i < r.rows(); ++i) {
    OperatorClassDefinition c;
    c.oid = r.get(i, "oid");
    c.schema = r.get(i, "nspname");
    c.name = r.get(i, "opcname");
    c.access_method = r.get(i, "am");
    c.input_type = r.get(i, "input_type");
    c.is_default = r.get_bool(i, "opcdefault");
    c.family = r.get(i, "family");
    c.storage_type = r.get(i, "storage_type");
    c.comment = r.get_optional(i, "comment");
    by_oid[c.oid] = out.size();
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  for (auto& row : read_members(conn, schemas)) {
    auto it = by_oid.find(row.class_oid);
    if (it != by_oid.end()) out[it->second].members.push_back(std::move(row.member));
  }
  return out;
}

std::vector<AccessMethodDefinition> read_access_methods(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT a.oid, a.amname, a.amtype, " + qualified_function_sql("a.amhandler") + " AS handler, " +
      description_sql("a.oid", "pg_catalog.pg_am") +
      " AS comment FROM pg_catalog.pg_am a WHERE a.oid >= 16384 AND " +
      not_extension_member_sql("pg_catalog.pg_am", "a.oid") + " ORDER BY a.amname");
  std::vector<AccessMethodDefinition> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.get(i, "oid"), r.get(i, "amname"), r.get(i, "amtype")[0], r.get(i, "handler"),
                   r.get_optional(i, "comment")});
  return out;
}

}  // namespace pgclone::agent::catalog
