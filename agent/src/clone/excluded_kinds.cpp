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

}  // namespace

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
