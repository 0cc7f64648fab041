#include "discover/discover_job.h"

#include <nlohmann/json.hpp>

#include "catalog/table_catalog.h"
#include "clone/job_session.h"
#include "ddl/sql_text.h"
#include "discover/candidate_tables.h"
#include "discover/data_fit.h"
#include "discover/value_sample.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sensitive_rules.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/schema_planner.h"

namespace pgclone::agent::discover {
namespace {

using protocol::SensitiveKind;

std::string column_of(const CandidateColumn& column, const CandidateTable& table) {
  return "column " + ddl::quote_ident(column.name) + " of table " + table.qualified;
}

// What the column holds: its name first, then its type, then its values.
std::optional<SensitiveKind> kind_of(pg::Connection& source, jobs::Job& job, const CandidateTable& table,
                                     const CandidateColumn& column) {
  if (auto by_name = protocol::sensitive_kind_of_name(column.name)) return by_name;
  if (column.kind_by_type) return column.kind_by_type;
  // A foreign key or generated column never gets a mask of its own: no
  // reason to read its values.
  if (!column.samplable || column.facts.foreign_key || column.facts.generated) return std::nullopt;
  std::string why;
  const std::optional<protocol::ValueTally> tally = sample_values(source, job, table, column.name, why);
  if (!tally) {
    job.add_notice("notice", "values of " + column_of(column, table) + " were not sampled (" + why +
                                 "); it was judged by its name only");
    return std::nullopt;
  }
  return tally->majority();
}

std::string why_left_out(const CandidateColumn& column) {
  if (column.facts.foreign_key) return "it is part of a foreign key, which takes the mask of the key it references";
  if (column.facts.generated) return "it is generated from other columns";
  return "no mask strategy fits its type, constraints and data";
}

void check_schema_exists(pg::Connection& source, const std::string& schema) {
  if (source.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() == 0) {
    throw pg::PgError(protocol::sqlstate::kInvalidSchemaName,
                      "source schema " + ddl::quote_ident(schema) + " does not exist");
  }
}

}  // namespace

std::string discover_sensitive(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  job.set_phase("connecting");
  pg::Connection source = clone::open_source(request.source_conninfo, job);
  clone::InterruptRegistration interrupt(job, source);

  job.set_phase("reading catalog");
  source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  check_schema_exists(source, request.schema);
  plan::CloneScope scope;
  scope.schemas = {request.schema};
  const plan::ScopeRelations relations = plan::select_scope_relations(source, scope);
  const std::vector<catalog::TableDefinition> definitions =
      catalog::read_relation_definitions(source, relations.tables);
  const std::vector<CandidateTable> tables = candidate_tables(definitions, relations.tables);

  job.set_phase("sampling values");
  job.set_tables(static_cast<std::int64_t>(tables.size()), 0);
  nlohmann::json masks = nlohmann::json::object();
  std::int64_t done = 0;
  for (const CandidateTable& table : tables) {
    clone::throw_if_stopped(job);
    job.set_current_table(table.qualified);
    for (const CandidateColumn& column : table.columns) {
      const std::optional<SensitiveKind> kind = kind_of(source, job, table, column);
      if (!kind) continue;
      const protocol::DataCheck data_fits = [&](const protocol::MaskRule& rule) {
        return mask_fits_data(source, job, table, column, rule);
      };
      const std::optional<protocol::MaskRule> rule =
          protocol::recommend_mask(*kind, column.facts, protocol::KeyUse::kSessionKey, data_fits);
      if (!rule) {
        job.add_notice("notice", column_of(column, table) + " looks like " + protocol::sensitive_kind_name(*kind) +
                                     " but gets no mask: " + why_left_out(column));
        continue;
      }
      masks[table.key][column.name] = nlohmann::json::parse(protocol::mask_rule_json(*rule));
    }
    job.set_tables(static_cast<std::int64_t>(tables.size()), ++done);
  }
  source.exec("COMMIT");
  job.set_current_table("");
  return masks.dump();
}

}  // namespace pgclone::agent::discover
