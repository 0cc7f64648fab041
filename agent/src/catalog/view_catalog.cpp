#include "catalog/view_catalog.h"

#include <map>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

void read_columns(pg::Connection& conn, const std::string& oids, std::map<std::string, ViewDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
      " CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN"
      "   pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS collation,"
      " pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr, a.attnum, a.attstorage, t.typstorage,"
      " a.attcompression, a.attstattarget, " +
          description_sql("a.attrelid", "pg_catalog.pg_class", "a.attnum") +
          " AS comment FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
          " LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
          " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
          " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
          " WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
          " ORDER BY a.attrelid, a.attnum",
      {oids});
  // (relation, attnum) -> position in its view's columns, for the options.
  std::map<std::pair<std::string, long long>, size_t> position;
  for (int i = 0; i < r.rows(); ++i) {
    ViewColumn c{r.get(i, "attname"), r.get(i, "type"), r.get_optional(i, "collation"),
                 r.get_optional(i, "default_expr"), r.get_optional(i, "comment")};
    if (r.get(i, "attstorage") != r.get(i, "typstorage")) c.storage = r.get(i, "attstorage")[0];
    if (!r.get(i, "attcompression").empty()) c.compression = r.get(i, "attcompression")[0];
    if (r.get_int(i, "attstattarget") >= 0) c.statistics_target = static_cast<int>(r.get_int(i, "attstattarget"));
    auto& columns = by_oid.at(r.get(i, "attrelid"))->columns;
    position[{r.get(i, "attrelid"), r.get_int(i, "attnum")}] = columns.size();
    columns.push_back(std::move(c));
  }
  pg::Result options = conn.query(column_options_sql(), {oids});
  for (int i = 0; i < options.rows(); ++i) {
    auto it = position.find({options.get(i, "attrelid"), options.get_int(i, "attnum")});
    if (it != position.end())
      by_oid.at(it->first.first)->columns[it->second].options.emplace_back(options.get(i, "option_name"),
                                                                          options.get(i, "option_value"));
  }
}

void read_options(pg::Connection& conn, const std::string& oids, std::map<std::string, ViewDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT c.oid, o.option_name, o.option_value FROM pg_catalog.pg_class c,"
      " pg_catalog.pg_options_to_table(c.reloptions) o WHERE c.oid = ANY ($1::pg_catalog.oid[])",
      {oids});
  for (int i = 0; i < r.rows(); ++i)
    by_oid.at(r.get(i, "oid"))->reloptions.emplace_back(r.get(i, "option_name"), r.get(i, "option_value"));
}

void read_indexes(pg::Connection& conn, const std::string& oids, std::map<std::string, ViewDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT i.indrelid, i.indexrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,"
      " i.indisunique, i.indisvalid AND i.indisready AS valid, i.indisclustered, " +
          description_sql("i.indexrelid", "pg_catalog.pg_class") +
          " AS comment FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
          " WHERE i.indrelid = ANY ($1::pg_catalog.oid[]) ORDER BY i.indrelid, ic.relname",
      {oids});
  for (int i = 0; i < r.rows(); ++i) {
    IndexDefinition x;
    x.oid = r.get(i, "indexrelid");
    x.name = r.get(i, "relname");
    x.definition = r.get(i, "definition");
    x.unique = r.get_bool(i, "indisunique");
    x.valid = r.get_bool(i, "valid");
    x.clustered = r.get_bool(i, "indisclustered");
    x.comment = r.get_optional(i, "comment");
    by_oid.at(r.get(i, "indrelid"))->indexes.push_back(std::move(x));
  }
}

void read_triggers(pg::Connection& conn, const std::string& oids, std::map<std::string, ViewDefinition*>& by_oid) {
  pg::Result r = conn.query(
      "SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS definition, t.tgenabled, " +
          description_sql("t.oid", "pg_catalog.pg_trigger") +
          " AS comment FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ANY ($1::pg_catalog.oid[])"
          " AND NOT t.tgisinternal ORDER BY t.tgrelid, t.tgname",
      {oids});
  for (int i = 0; i < r.rows(); ++i) {
    TriggerDefinition t;
    t.name = r.get(i, "tgname");
    t.definition = r.get(i, "definition");
    t.enabled = r.get(i, "tgenabled")[0];
    t.comment = r.get_optional(i, "comment");
    by_oid.at(r.get(i, "tgrelid"))->triggers.push_back(std::move(t));
  }
}

std::string without_semicolon(std::string query) {
  while (!query.empty() && (query.back() == ';' || query.back() == '\n' || query.back() == ' ')) query.pop_back();
  return query;
}

}  // namespace

std::vector<ViewDefinition> read_views(pg::Connection& conn, const std::vector<std::string>& schemas) {
  pg::Result r = conn.query(
      "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispopulated,"
      " pg_catalog.pg_get_viewdef(c.oid) AS query, " +
          description_sql("c.oid", "pg_catalog.pg_class") +
          " AS comment FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND c.relkind IN ('v', 'm')"
          " AND " + not_extension_member_sql("pg_catalog.pg_class", "c.oid") + " ORDER BY n.nspname, c.relname",
      {text_array_literal(schemas)});
  std::vector<ViewDefinition> out(static_cast<size_t>(r.rows()));
  std::map<std::string, ViewDefinition*> by_oid;
  std::vector<std::string> oids;
  for (int i = 0; i < r.rows(); ++i) {
    ViewDefinition& v = out[static_cast<size_t>(i)];
    v.oid = r.get(i, "oid");
    v.schema = r.get(i, "nspname");
    v.name = r.get(i, "relname");
    v.relkind = r.get(i, "relkind")[0];
    v.populated = r.get_bool(i, "relispopulated");
    v.query = without_semicolon(r.get(i, "query"));
    v.comment = r.get_optional(i, "comment");
    by_oid[v.oid] = &v;
    oids.push_back(v.oid);
  }
  if (out.empty()) return out;
  const std::string oid_array = text_array_literal(oids);
  read_columns(conn, oid_array, by_oid);
  read_options(conn, oid_array, by_oid);
  read_indexes(conn, oid_array, by_oid);
  read_triggers(conn, oid_array, by_oid);
  return out;
}

}  // namespace pgclone::agent::catalog
