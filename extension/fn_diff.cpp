// PostgreSQL frame: pgclone.diff(), a job of the agent like the clones (named
// sources, trust checks and jobs_view included); the agent reads the source
// and this database and returns the JSON drift report.
#include "pg_headers.h"

#include "fn_args.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_diff);
}

// pgclone.diff(conninfo, schema_name) -> {"schema", "in_sync", "diff_count", ...}
extern "C" Datum pgclone_diff(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationDiff;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.schema = required_identifier(fcinfo, 1, "schema_name");
  fields.include_data = false;
  return run_clone(fields);
}
