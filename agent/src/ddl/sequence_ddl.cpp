#include "ddl/sequence_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::vector<std::string> sequence_statements(const catalog::SequenceDefinition& s) {
  const std::string name = qualified_name(s.schema, s.name);
  std::vector<std::string> out{std::string("CREATE ") + (s.unlogged ? "UNLOGGED " : "") + "SEQUENCE " + name + " AS " +
                               s.type + " START WITH " + std::to_string(s.start) + " INCREMENT BY " +
                               std::to_string(s.increment) + " MINVALUE " + std::to_string(s.min_value) +
                               " MAXVALUE " + std::to_string(s.max_value) + " CACHE " + std::to_string(s.cache) +
                               (s.cycle ? " CYCLE" : " NO CYCLE")};
  if (s.comment) out.push_back("COMMENT ON SEQUENCE " + name + " IS " + quote_literal(*s.comment));
  return out;
}

std::string sequence_value_statement(const catalog::SequenceDefinition& s) {
  return "SELECT pg_catalog.setval(" + quote_literal(qualified_name(s.schema, s.name)) + ", " +
         std::to_string(s.last_value) + ", " + (s.is_called ? "true" : "false") + ")";
}

}  // namespace pgclone::agent::ddl
