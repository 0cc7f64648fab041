// PostgreSQL frame: pgclone.preflight(), a job of the agent like the clones
// (named sources, trust checks and jobs_view included); the agent checks
// both sides and returns the JSON report.
#include "pg_headers.h"

#include "fn_args.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_preflight);
}

// pgclone.preflight(conninfo, schema_name) -> {schema, ready, summary, errors, warnings, info, checks}
extern "C" Datum pgclone_preflight(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationPreflight;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.schema = required_identifier(fcinfo, 1, "schema_name");
  fields.include_data = false;
  return run_clone(fields);
}
