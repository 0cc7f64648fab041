#include "ddl/extra_objects_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::vector<std::string> statistics_statements(const catalog::StatisticsDefinition& s) {
  const std::string name = qualified_name(s.schema, s.name);
  std::vector<std::string> out{s.definition};
  if (s.target >= 0) out.push_back("ALTER STATISTICS " + name + " SET STATISTICS " + std::to_string(s.target));
  if (s.comment) out.push_back("COMMENT ON STATISTICS " + name + " IS " + quote_literal(*s.comment));
  return out;
}

std::vector<std::string> collation_statements(const catalog::CollationDefinition& c) {
  const std::string name = qualified_name(c.schema, c.name);
  std::vector<std::string> options;
  if (c.provider == 'i') {
    options = {"provider = icu", "locale = " + quote_literal(c.icu_locale)};
  } else {
    options = {"provider = libc", "lc_collate = " + quote_literal(c.collate), "lc_ctype = " + quote_literal(c.ctype)};
  }
  if (!c.deterministic) options.push_back("deterministic = false");
  std::vector<std::string> out{"CREATE COLLATION " + name + " (" + join(options) + ")"};
  if (c.comment) out.push_back("COMMENT ON COLLATION " + name + " IS " + quote_literal(*c.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
