#include "catalog/event_trigger_catalog.h"

#include "catalog/catalog_sql.h"

namespace pgclone::agent::catalog {

std::vector<EventTriggerDefinition> read_event_triggers(pg::Connection& conn) {
  pg::Result r = conn.query(
      "SELECT e.oid::text AS oid, e.evtname, e.evtevent, e.evttags::pg_catalog.text[] AS tags,"
      " e.evtfoid::text AS function_oid,"
      " pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) AS function,"
      " e.evtenabled::text AS enabled, " + description_sql("e.oid", "pg_catalog.pg_event_trigger") + " AS comment"
      " FROM pg_catalog.pg_event_trigger e JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
      " WHERE " + not_extension_member_sql("pg_catalog.pg_event_trigger", "e.oid") +
      " ORDER BY e.evtname COLLATE \"C\"");
  std::vector<EventTriggerDefinition> out;
  for (int i = 0; i < r.rows(); ++i) {
    EventTriggerDefinition e;
    e.oid = r.get(i, "oid");
    e.name = r.get(i, "evtname");
    e.event = r.get(i, "evtevent");
    e.tags = array_column(r, i, "tags");
    e.function_oid = r.get(i, "function_oid");
    e.function = r.get(i, "function");
    const std::string enabled = r.get(i, "enabled");
    e.enabled = enabled.empty() ? 'O' : enabled[0];
    e.comment = r.get_optional(i, "comment");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace pgclone::agent::catalog
