// PostgreSQL frame: pgclone.clone_roles(), a job of the agent like the clones
// (named sources, trust checks and jobs_view included): the agent copies the
// source cluster's roles to this one, acting as the caller.
#include "pg_headers.h"

#include "fn_args.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_clone_roles);
}

// pgclone.clone_roles(conninfo [, role_names]) -> 'OK: X roles created, ...'
extern "C" Datum pgclone_clone_roles(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationRoles;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.role_names = PG_NARGS() > 1 ? optional_text(fcinfo, 1) : nullptr;
  fields.include_data = false;
  return run_clone(fields);
}
