#include "ddl/event_trigger_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::vector<std::string> event_trigger_statements(const catalog::EventTriggerDefinition& t) {
  const std::string name = quote_ident(t.name);
  std::string create = "CREATE EVENT TRIGGER " + name + " ON " + quote_ident(t.event);
  if (!t.tags.empty()) {
    std::vector<std::string> tags;
    for (const std::string& tag : t.tags) tags.push_back(quote_literal(tag));
    create += " WHEN TAG IN (" + join(tags) + ")";
  }
  create += " EXECUTE FUNCTION " + t.function + "()";
  std::vector<std::string> out{create, "ALTER EVENT TRIGGER " + name + " DISABLE"};
  if (t.comment) out.push_back("COMMENT ON EVENT TRIGGER " + name + " IS " + quote_literal(*t.comment));
  return out;
}

std::vector<std::string> event_trigger_enable_statements(const catalog::EventTriggerDefinition& t) {
  const std::string alter = "ALTER EVENT TRIGGER " + quote_ident(t.name);
  switch (t.enabled) {
    case 'D': return {};
    case 'R': return {alter + " ENABLE REPLICA"};
    case 'A': return {alter + " ENABLE ALWAYS"};
    default: return {alter + " ENABLE"};
  }
}

}  // namespace pgclone::agent::ddl
