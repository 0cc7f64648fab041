#include "diff/diff_job.h"

#include "clone/job_session.h"
#include "ddl/sql_text.h"
#include "diff/comparer.h"
#include "diff/report_json.h"
#include "diff/snapshot_reader.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::diff {
namespace {

// One side, in one snapshot, changing nothing.
SideCatalog read_in_snapshot(pg::Connection& conn, jobs::Job& job, const std::string& schema, bool is_source) {
  clone::InterruptRegistration interrupt(job, conn);
  conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (is_source && !schema_exists(conn, schema)) {
    throw pg::PgError(protocol::sqlstate::kInvalidSchemaName,
                      "source schema " + ddl::quote_ident(schema) + " does not exist");
  }
  SideCatalog side = read_side(conn, schema);
  conn.exec("COMMIT");
  return side;
}

}  // namespace

std::string diff_schema(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  job.set_phase("reading source catalog");
  SideCatalog source_side;
  {
    pg::Connection source = clone::open_source(request.source_conninfo, job);
    source_side = read_in_snapshot(source, job, request.schema, true);
  }
  clone::throw_if_stopped(job);
  job.set_phase("reading target catalog");
  SideCatalog target_side;
  {
    pg::Connection target = clone::open_target(job.target_conninfo(), job);
    target_side = read_in_snapshot(target, job, request.schema, false);
  }
  clone::throw_if_stopped(job);
  job.set_phase("comparing");
  return report_json(compare_snapshots(build_snapshot(source_side), build_snapshot(target_side)));
}

}  // namespace pgclone::agent::diff
