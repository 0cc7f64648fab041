#include "clone/excluded_kinds.h"

#include <algorithm>

#include "catalog/catalog_sql.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

std::vector<std::string> names_of(const pg::Result& r) {
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(ddl::quote_ident(r.get(i, 0)));
  return out;
}

constexpr std::size_t kNamedAtMost = 10;

// Relations and indexes (rows: "s.t (tablespace ts)") in a non-default
// tablespace: 0A000 unless "exclude_kinds" names "tablespaces".
void refuse_tablespaces(const jobs::Job& job, const pg::Result& placed) {
  if (placed.rows() == 0 || kind_excluded(job, "tablespaces")) return;
  std::vector<std::string> names;
  for (int i = 0; i < placed.rows() && names.size() < kNamedAtMost; ++i) names.push_back(placed.get(i, 0));
  std::string list = ddl::join(names);
  if (static_cast<std::size_t>(placed.rows()) > kNamedAtMost)
    list += " and " + std::to_string(placed.rows() - static_cast<int>(kNamedAtMost)) + " more";
  throw pg::PgError(protocol::sqlstate::kFeatureNotSupported,
                    "the clone holds relations in non-default tablespaces, which pgclone does not place: " + list,
                    "pg_restore would create them in the tablespaces of the same names; pgclone creates every "
                    "relation in the target's default tablespace. Nothing was cloned.",
                    "Pass '{\"exclude_kinds\": [\"tablespaces\"]}' to clone them into the target's default "
                    "tablespace.");
}

const char* kPlacedSelect =
    "SELECT pg_catalog.format('%I.%I (tablespace %I)', n.nspname, c.relname, t.spcname)"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace"
    " WHERE c.reltablespace <> 0 AND c.relkind IN ('r', 'p', 'm', 'i', 'I')";

}  // namespace

void check_table_tablespaces(pg::Connection& source, const jobs::Job& job, const std::string& table_oid) {
  refuse_tablespaces(job, source.query(
      std::string(kPlacedSelect) +
          " AND (c.oid IN (SELECT r.relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) r"
          "   UNION SELECT $1::pg_catalog.oid)"
          "  OR c.oid IN (SELECT i.indexrelid FROM pg_catalog.pg_index i WHERE i.indrelid = $1::pg_catalog.oid"
          "   OR i.indrelid IN (SELECT r.relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) r)))"
          " ORDER BY 1",
      {table_oid}));
}

bool kind_excluded(const jobs::Job& job, const std::string& kind) {
  const auto& kinds = job.options().exclude_kinds;
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

void check_uncloned_kinds(pg::Connection& source, const jobs::Job& job, bool database_clone,
                          const std::vector<std::string>& schemas) {
  if (database_clone && !kind_excluded(job, "subscriptions")) {
    const std::vector<std::string> subscriptions = names_of(source.query(
        "SELECT s.subname FROM pg_catalog.pg_subscription s WHERE s.subdbid ="
        " (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())"
        " ORDER BY 1"));
    if (!subscriptions.empty()) {
      throw pg::PgError(protocol::sqlstate::kFeatureNotSupported,
                        "the source database has subscriptions, which clones do not bring: " +
                            ddl::join(subscriptions),
                        "A copy of a subscription would start replicating from its publisher as soon as it "
                        "existed, taking the changes meant for the source's own subscriber. Nothing was cloned.",
                        "Pass '{\"exclude_kinds\": [\"subscriptions\"]}' to clone the database without them, "
                        "and create subscriptions on the clone where you want them.");
    }
  }
  if (!schemas.empty()) {
    refuse_tablespaces(job, source.query(std::string(kPlacedSelect) +
                                             " AND n.nspname = ANY ($1::pg_catalog.text[]) ORDER BY 1",
                                         {catalog::text_array_literal(schemas)}));
  }
  if (!database_clone && !kind_excluded(job, "event_triggers") && !schemas.empty()) {
    const std::vector<std::string> triggers = names_of(source.query(
        "SELECT e.evtname FROM pg_catalog.pg_event_trigger e JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid"
        " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY ($1::pg_catalog.text[])"
        " ORDER BY 1",
        {catalog::text_array_literal(schemas)}));
    if (!triggers.empty()) {
      throw pg::PgError(protocol::sqlstate::kFeatureNotSupported,
                        std::string(triggers.size() == 1 ? "event trigger " : "event triggers ") +
                            ddl::join(triggers) + " of the source " +
                            (triggers.size() == 1 ? "runs a function" : "run functions") +
                            " of the cloned schema, and a schema clone does not bring event triggers",
                        "Event triggers belong to the database, not to a schema: pgclone.database() brings them. "
                        "Nothing was cloned.",
                        "Pass '{\"exclude_kinds\": [\"event_triggers\"]}' to clone the schema without them.");
    }
  }
}

std::string excluded_result_note(const jobs::Job& job) {
  const protocol::CloneOptions& options = job.options();
  const bool table_clone = job.request().operation == protocol::kOpTable;
  std::vector<std::string> kinds;
  if (!options.indexes) kinds.push_back("indexes");
  if (!options.constraints) kinds.push_back("constraints");
  if (!options.triggers) kinds.push_back("triggers");
  if (!options.matviews && !table_clone) kinds.push_back("materialized views");
  for (const std::string& kind : options.exclude_kinds) {
    std::string shown = kind;
    std::replace(shown.begin(), shown.end(), '_', ' ');
    kinds.push_back(shown);
  }
  return kinds.empty() ? "" : " (excluded: " + ddl::join(kinds) + ")";
}

}  // namespace pgclone::agent::clone
