// PostgreSQL frame: pgclone.discover_sensitive(), a job of the agent like the
// clones (named sources, trust checks and jobs_view included); the agent
// reads the source and returns the JSON.
#include "pg_headers.h"

#include "fn_args.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_discover_sensitive);
}

// pgclone.discover_sensitive(conninfo, schema_name) -> {"table": {"column": rule}}
extern "C" Datum pgclone_discover_sensitive(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationDiscover;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.schema = required_identifier(fcinfo, 1, "schema_name");
  fields.include_data = false;
  return run_clone(fields);
}
