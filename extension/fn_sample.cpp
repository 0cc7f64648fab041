// PostgreSQL frame: pgclone.table_sample() and pgclone.schema_sample(),
// clones whose rows are a referentially consistent sample, run by the agent
// like schema clones.
#include "pg_headers.h"

#include "fn_args.h"
#include "options_check.h"
#include "report.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_table_sample);
PG_FUNCTION_INFO_V1(pgclone_schema_sample);
}

// pgclone.table_sample(conninfo, schema_name, table_name, rows [, options])
extern "C" Datum pgclone_table_sample(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationTableSample;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.schema = required_identifier(fcinfo, 1, "schema_name");
  fields.table = required_identifier(fcinfo, 2, "table_name");
  fields.include_data = true;
  fields.options_json = optional_text(fcinfo, 4);
  // NULL rows: the options say which rows start the sample.
  if (!PG_ARGISNULL(3)) {
    const int64 rows = PG_GETARG_INT64(3);
    if (rows < 0) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("rows must not be negative")));
    }
    const char* merged = nullptr;
    const OptionsCheck check = merge_sample_rows(fields.options_json, rows, &merged);
    if (!check.ok) report_error(check.sqlstate, check.message, check.detail, check.hint, nullptr);
    fields.options_json = pstrdup(merged);
  }
  return run_clone(fields);
}

// pgclone.schema_sample(conninfo, schema_name, options)
extern "C" Datum pgclone_schema_sample(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  CloneRequestFields fields{};
  fields.operation = kOperationSchemaSample;
  fields.source_conninfo = required_text(fcinfo, 0, "conninfo");
  fields.schema = required_identifier(fcinfo, 1, "schema_name");
  fields.include_data = true;
  fields.options_json = required_text(fcinfo, 2, "options");
  return run_clone(fields);
}
