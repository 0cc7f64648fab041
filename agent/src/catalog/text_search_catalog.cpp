#include "catalog/text_search_catalog.h"

#include <map>
#include <optional>

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

namespace {

std::string scoped(const std::string& catalog, const std::string& alias, const std::string& nsp_column) {
  return " JOIN pg_catalog.pg_namespace n ON n.oid = " + alias + "." + nsp_column +
         " WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND " + not_extension_member_sql(catalog, alias + ".oid") +
         " ORDER BY n.nspname, 3";
}

void read_mappings(pg::Connection& conn, std::map<std::string, TextSearchDefinition*>& configurations) {
  std::vector<std::string> oids;
  for (const auto& [oid, c] : configurations) oids.push_back(oid);
  pg::Result r = conn.query(
      "SELECT m.mapcfg, (SELECT t.alias FROM pg_catalog.ts_token_type(c.cfgparser) t WHERE t.tokid = m.maptokentype)"
      " AS token, pg_catalog.string_agg(m.mapdict::pg_catalog.regdictionary::pg_catalog.text, ', ' ORDER BY m.mapseqno)"
      " AS dictionaries FROM pg_catalog.pg_ts_config_map m JOIN pg_catalog.pg_ts_config c ON c.oid = m.mapcfg"
      " WHERE m.mapcfg = ANY ($1::pg_catalog.oid[]) GROUP BY m.mapcfg, c.cfgparser, m.maptokentype"
      " ORDER BY m.mapcfg, m.maptokentype",
      {oid_array_literal(oids)});
  for (int i = 0; i < r.rows(); ++i)
    configurations.at(r.get(i, "mapcfg"))->mappings.emplace_back(r.get(i, "token"), r.get(i, "dictionaries"));
}

}  // namespace

std::vector<TextSearchDefinition> read_text_search(pg::Connection& conn, const std::vector<std::string>& schemas) {
  const std::vector<std::optional<std::string>> params{text_array_literal(schemas)};
  std::vector<TextSearchDefinition> out;
  auto base = [](char kind, const pg::Result& r, int i) {
    TextSearchDefinition d;
    d.kind = kind;
    d.oid = r.get(i, "oid");
    d.schema = r.get(i, "nspname");
    d.name = r.get(i, "name");
    d.comment = r.get_optional(i, "comment");
    return d;
  };
  pg::Result parsers = conn.query(
      "SELECT p.oid, n.nspname, p.prsname AS name, " + qualified_function_sql("p.prsstart") + " AS start, " +
          qualified_function_sql("p.prstoken") + " AS get_token, " + qualified_function_sql("p.prsend") + " AS end_f, " +
          qualified_function_sql("p.prslextype") + " AS lextypes, " + qualified_function_sql("p.prsheadline") +
          " AS headline, " + description_sql("p.oid", "pg_catalog.pg_ts_parser") +
          " AS comment FROM pg_catalog.pg_ts_parser p" + scoped("pg_catalog.pg_ts_parser", "p", "prsnamespace"),
      params);
  for (int i = 0; i < parsers.rows(); ++i) {
    auto d = base('p', parsers, i);
    d.start = parsers.get(i, "start");
    d.get_token = parsers.get(i, "get_token");
    d.end = parsers.get(i, "end_f");
    d.lextypes = parsers.get(i, "lextypes");
    d.headline = parsers.get(i, "headline");
    out.push_back(std::move(d));
  }
  pg::Result templates = conn.query(
      "SELECT t.oid, n.nspname, t.tmplname AS name, " + qualified_function_sql("t.tmplinit") + " AS init, " +
          qualified_function_sql("t.tmpllexize") + " AS lexize, " + description_sql("t.oid", "pg_catalog.pg_ts_template") +
          " AS comment FROM pg_catalog.pg_ts_template t" + scoped("pg_catalog.pg_ts_template", "t", "tmplnamespace"),
      params);
  for (int i = 0; i < templates.rows(); ++i) {
    auto d = base('t', templates, i);
    d.init = templates.get(i, "init");
    d.lexize = templates.get(i, "lexize");
    out.push_back(std::move(d));
  }
  pg::Result dictionaries = conn.query(
      "SELECT td.oid, n.nspname, td.dictname AS name, (SELECT pg_catalog.quote_ident(tn.nspname) || '.' ||"
      " pg_catalog.quote_ident(t.tmplname) FROM pg_catalog.pg_ts_template t JOIN pg_catalog.pg_namespace tn"
      " ON tn.oid = t.tmplnamespace WHERE t.oid = td.dicttemplate) AS template_name, td.dictinitoption, " +
          description_sql("td.oid", "pg_catalog.pg_ts_dict") +
          " AS comment FROM pg_catalog.pg_ts_dict td" + scoped("pg_catalog.pg_ts_dict", "td", "dictnamespace"),
      params);
  for (int i = 0; i < dictionaries.rows(); ++i) {
    auto d = base('d', dictionaries, i);
    d.template_name = dictionaries.get(i, "template_name");
    d.options = dictionaries.get(i, "dictinitoption");
    out.push_back(std::move(d));
  }
  pg::Result configurations = conn.query(
      "SELECT c.oid, n.nspname, c.cfgname AS name, (SELECT pg_catalog.quote_ident(pn.nspname) || '.' ||"
      " pg_catalog.quote_ident(p.prsname) FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace pn"
      " ON pn.oid = p.prsnamespace WHERE p.oid = c.cfgparser) AS parser, " +
          description_sql("c.oid", "pg_catalog.pg_ts_config") +
          " AS comment FROM pg_catalog.pg_ts_config c" + scoped("pg_catalog.pg_ts_config", "c", "cfgnamespace"),
      params);
  std::map<std::string, TextSearchDefinition*> by_oid;
  const size_t first_configuration = out.size();
  for (int i = 0; i < configurations.rows(); ++i) {
    auto d = base('c', configurations, i);
    d.parser = configurations.get(i, "parser");
    out.push_back(std::move(d));
  }
  for (size_t i = first_configuration; i < out.size(); ++i) by_oid[out[i].oid] = &out[i];
  if (!by_oid.empty()) read_mappings(conn, by_oid);
  return out;
}

}  // namespace pgclone::agent::catalog
