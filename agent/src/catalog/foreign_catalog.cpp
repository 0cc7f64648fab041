#include "catalog/foreign_catalog.h"

#include "catalog/catalog_sql.h"
#include "catalog/table_batch.h"

namespace pgclone::agent::catalog {

namespace {

OptionList options_from(const pg::Result& r, int row, const char* column) {
  OptionList out;
  for (const auto& item : array_column(r, row, column)) {
    const auto eq = item.find('=');
    out.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
  }
  return out;
}

std::string options_array_sql(const std::string& options_expr) {
  return "ARRAY(SELECT o.option_name || '=' || o.option_value FROM pg_catalog.pg_options_to_table(" + options_expr +
         ") o)";
}

}  // namespace

bool is_secret_option(const std::string& name) { return name == "password" || name == "sslpassword"; }

ForeignObjects read_foreign_objects(pg::Connection& conn) {
  ForeignObjects out;
  pg::Result w = conn.query(
      "SELECT w.oid, w.fdwname,"
      " CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::pg_catalog.text ELSE '' END AS handler,"
      " CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::pg_catalog.text ELSE '' END AS validator, " +
      options_array_sql("w.fdwoptions") + " AS options, " +
      description_sql("w.oid", "pg_catalog.pg_foreign_data_wrapper") +
      " AS comment, COALESCE((SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e"
      "   ON e.oid = d.refobjid WHERE d.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass"
      "   AND d.objid = w.oid AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass"
      "   AND d.deptype = 'e'), '') AS extension"
      " FROM pg_catalog.pg_foreign_data_wrapper w ORDER BY w.fdwname");
  for (int i = 0; i < w.rows(); ++i)
    out.wrappers.push_back({w.get(i, "oid"), w.get(i, "fdwname"), w.get(i, "handler"), w.get(i, "validator"),
                            options_from(w, i, "options"), w.get_optional(i, "comment"), w.get(i, "extension")});

  pg::Result s = conn.query(
      "SELECT s.oid, s.srvname, w.fdwname, s.srvtype, s.srvversion, " + options_array_sql("s.srvoptions") +
      " AS options, " + description_sql("s.oid", "pg_catalog.pg_foreign_server") +
      " AS comment FROM pg_catalog.pg_foreign_server s"
      " JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw ORDER BY s.srvname");
  for (int i = 0; i < s.rows(); ++i)
    out.servers.push_back({s.get(i, "oid"), s.get(i, "srvname"), s.get(i, "fdwname"), s.get_optional(i, "srvtype"),
                           s.get_optional(i, "srvversion"), options_from(s, i, "options"),
                           s.get_optional(i, "comment")});

  // pg_user_mappings, not pg_user_mapping: it hides the options from those
  // who may not read them (pg_user_mapping itself is superuser-only).
  pg::Result m = conn.query(
      "SELECT m.umid, m.srvid, m.srvname, CASE WHEN m.umuser = 0 THEN '' ELSE m.usename END AS role,"
      " m.umoptions IS NOT NULL AS readable, " + options_array_sql("m.umoptions") +
      " AS options FROM pg_catalog.pg_user_mappings m ORDER BY m.srvname, 4");
  for (int i = 0; i < m.rows(); ++i) {
    UserMappingDefinition u{m.get(i, "umid"), m.get(i, "srvname"), m.get(i, "srvid"), m.get(i, "role"), std::nullopt};
    if (m.get_bool(i, "readable")) u.options = options_from(m, i, "options");
    out.mappings.push_back(std::move(u));
  }
  return out;
}

void read_foreign_table_facts(pg::Connection& conn, TableBatch& batch) {
  pg::Result t = conn.query(
      "SELECT ft.ftrelid, s.srvname, " + options_array_sql("ft.ftoptions") +
          " AS options FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver"
          " WHERE ft.ftrelid = ANY ($1::pg_catalog.oid[])",
      {batch.oid_array()});
  for (int i = 0; i < t.rows(); ++i) {
    TableDefinition& def = batch.table(t.get(i, "ftrelid"));
    def.foreign_server = t.get(i, "srvname");
    def.foreign_options = options_from(t, i, "options");
  }
  if (t.rows() == 0) return;
  pg::Result c = conn.query(
      "SELECT a.attrelid, a.attnum, " + options_array_sql("a.attfdwoptions") +
          " AS options FROM pg_catalog.pg_attribute a"
          " WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
          " AND a.attfdwoptions IS NOT NULL ORDER BY a.attrelid, a.attnum",
      {batch.oid_array()});
  for (int i = 0; i < c.rows(); ++i) {
    TableDefinition& def = batch.table(c.get(i, "attrelid"));
    for (auto& column : def.columns)
      if (column.attnum == c.get_int(i, "attnum")) column.fdw_options = options_from(c, i, "options");
  }
}

}  // namespace pgclone::agent::catalog
