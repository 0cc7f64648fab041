#include "ddl/publication_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::vector<std::string> publication_statements(const catalog::PublicationDefinition& p) {
  const std::string name = quote_ident(p.name);
  std::vector<std::string> publish;
  if (p.publish_insert) publish.push_back("insert");
  if (p.publish_update) publish.push_back("update");
  if (p.publish_delete) publish.push_back("delete");
  if (p.publish_truncate) publish.push_back("truncate");
  std::string create = "CREATE PUBLICATION " + name;
  if (p.all_tables) create += " FOR ALL TABLES";
  create += " WITH (publish = " + quote_literal(join(publish)) +
            (p.via_partition_root ? ", publish_via_partition_root = true" : "") + ")";
  std::vector<std::string> out{create};
  for (const catalog::PublicationTable& t : p.tables) {
    std::string add = "ALTER PUBLICATION " + name + " ADD TABLE ONLY " + qualified_name(t.schema, t.name);
    if (!t.columns.empty()) {
      std::vector<std::string> columns;
      for (const std::string& c : t.columns) columns.push_back(quote_ident(c));
      add += " (" + join(columns) + ")";
    }
    if (!t.row_filter.empty()) add += " WHERE (" + t.row_filter + ")";
    out.push_back(std::move(add));
  }
  for (const std::string& s : p.schemas) out.push_back("ALTER PUBLICATION " + name + " ADD TABLES IN SCHEMA " + quote_ident(s));
  if (p.comment) out.push_back("COMMENT ON PUBLICATION " + name + " IS " + quote_literal(*p.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
