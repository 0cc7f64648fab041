// PostgreSQL frame: pgclone.verify(conninfo [, schema_name [, options]]), a
// job of the agent like the clones (named sources, trust checks, jobs_view,
// cancel). The agent returns the rows as a JSON array; they are turned into
// the result set here with the server's own json_to_recordset.
#include "pg_headers.h"

#include "fn_args.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_verify);
}

namespace {

constexpr const char* kRowsSql =
    "SELECT r.schema_name, r.table_name, r.source_rows, r.target_rows, r.match, r.detail"
    " FROM pg_catalog.json_to_recordset($1::pg_catalog.json) AS r(schema_name pg_catalog.text,"
    " table_name pg_catalog.text, source_rows pg_catalog.int8, target_rows pg_catalog.int8,"
    " match pg_catalog.text, detail pg_catalog.text)";

// The 1- and 2-argument forms return the first five columns, the
// 3-argument form also detail: as many as the declared result has.
void return_rows(FunctionCallInfo fcinfo, Datum json) {
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  const int columns = rsinfo->setDesc->natts;
  if (columns < 5 || columns > 6) elog(ERROR, "pgclone.verify must be declared with 5 or 6 result columns");
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  Oid types[1] = {TEXTOID};
  Datum args[1] = {json};
  if (SPI_execute_with_args(kRowsSql, 1, types, args, nullptr, true, 0) != SPI_OK_SELECT) {
    elog(ERROR, "reading the result of pgclone.verify failed");
  }
  for (uint64 row = 0; row < SPI_processed; ++row) {
    Datum values[6];
    bool nulls[6];
    for (int column = 0; column < columns; ++column) {
      values[column] = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column + 1, &nulls[column]);
    }
    // Copied into the tuplestore's own memory at once.
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  }
  SPI_finish();
}

}  // namespace

// pgclone.verify(conninfo) -> every user schema of the source;
// pgclone.verify(conninfo, schema_name); pgclone.verify(conninfo,
// schema_name, options) where a NULL schema_name means every user schema.
extern "C" Datum pgclone_verify(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationVerify;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  const bool whole_database = PG_NARGS() < 2 || (PG_NARGS() >= 3 && PG_ARGISNULL(1));
  fields.schema = whole_database ? nullptr : required_identifier(fcinfo, 1, "schema_name");
  fields.options_json = optional_text(fcinfo, 2);
  fields.include_data = false;
  const Datum json = run_clone(fields);
  return_rows(fcinfo, json);
  return (Datum)0;
}
