// PostgreSQL frame: pgclone.masking_report(schema), local to this database
// (no agent). Reads the catalog as the caller (tables it has some privilege
// on), pgclone.masking_policies as that table's owner (the caller may have no
// SELECT on it; only rows of tables the caller sees are used), then one
// noexcept call classifies the columns (sensitive_report.h).
#include "pg_headers.h"

#include "fn_args.h"
#include "sensitive_report.h"

namespace pgclone::extension {
namespace {

constexpr int kReportColumns = 6;

// Columns of the schema's tables (partitions left out: they have their
// parent's columns) that the caller has any privilege on, with their base
// types (domains stripped, as the masks see them).
const char* kColumnsSql =
    "WITH RECURSIVE base(attrelid, attnum, oid, typtype, typbasetype, typmod) AS ("
    "  SELECT a.attrelid, a.attnum, t.oid, t.typtype, t.typbasetype, a.atttypmod"
    "  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
    "  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    "  WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    "    AND a.attnum > 0 AND NOT a.attisdropped"
    "  UNION ALL"
    "  SELECT b.attrelid, b.attnum, t.oid, t.typtype, t.typbasetype, t.typtypmod FROM base b"
    "  JOIN pg_catalog.pg_type t ON t.oid = b.typbasetype WHERE b.typtype = 'd')"
    " SELECT c.relname::pg_catalog.text, a.attname::pg_catalog.text,"
    "  pg_catalog.format_type(a.atttypid, a.atttypmod), bt.typcategory, bt.typname::pg_catalog.text,"
    "  CASE WHEN bt.typname IN ('varchar', 'bpchar') THEN GREATEST(COALESCE("
    "    NULLIF(a.atttypmod, -1), NULLIF(b0.typmod, -1), -1) - 4, -1) ELSE -1 END,"
    "  a.attnotnull"
    " FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " JOIN base b0 ON b0.attrelid = a.attrelid AND b0.attnum = a.attnum AND b0.typtype <> 'd'"
    " JOIN pg_catalog.pg_type bt ON bt.oid = b0.oid"
    " WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    "  AND (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')"
    "       OR pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))"
    " ORDER BY c.relname, a.attnum";

// Every policy of the schema, once per masked column (column NULL for a
// policy that masks none).
const char* kPolicyColumnsSql =
    "SELECT p.table_name::pg_catalog.text, k.column_name"
    " FROM pgclone.masking_policies p LEFT JOIN LATERAL pg_catalog.jsonb_object_keys("
    "   CASE WHEN pg_catalog.jsonb_typeof(p.masks) = 'object' THEN p.masks ELSE '{}' END) AS k(column_name) ON true"
    " WHERE p.schema_name OPERATOR(pg_catalog.=) $1::pg_catalog.name";

const char* kViewsSql =
    "SELECT relname::pg_catalog.text FROM pg_catalog.pg_class WHERE relnamespace = $1 AND relkind = 'v'";

// A copy in `context`, which outlives SPI_finish.
char* column_text(MemoryContext context, int row, int column) {
  const char* value = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column);
  return MemoryContextStrdup(context, value != nullptr ? value : "");
}

bool contains(List* keys, const char* key) {
  ListCell* cell;
  foreach (cell, keys) {
    if (strcmp(static_cast<const char*>(lfirst(cell)), key) == 0) return true;
  }
  return false;
}

Oid relation_owner(Oid relid) {
  HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
  if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", relid);
  const Oid owner = ((Form_pg_class)GETSTRUCT(tuple))->relowner;
  ReleaseSysCache(tuple);
  return owner;
}

// What the schema's policies cover: their tables (as "table") and masked
// columns (as "table\ncolumn"). Read as the owner of
// pgclone.masking_policies; an error on the way leaves through the
// transaction's abort, which restores the user id.
List* policy_entries(MemoryContext context, const char* schema) {
  const Oid policies = get_relname_relid("masking_policies", get_namespace_oid("pgclone", false));
  if (!OidIsValid(policies)) return NIL;
  Oid saved_user;
  int saved_context;
  GetUserIdAndSecContext(&saved_user, &saved_context);
  SetUserIdAndSecContext(relation_owner(policies),
                         saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  Oid types[1] = {TEXTOID};
  Datum values[1] = {CStringGetTextDatum(schema)};
  const int rc = SPI_execute_with_args(kPolicyColumnsSql, 1, types, values, nullptr, true, 0);
  SetUserIdAndSecContext(saved_user, saved_context);
  if (rc != SPI_OK_SELECT) elog(ERROR, "reading pgclone.masking_policies failed: %s", SPI_result_code_string(rc));
  List* out = NIL;
  for (uint64 i = 0; i < SPI_processed; ++i) {
    const char* table = column_text(context, static_cast<int>(i), 1);
    const bool has_column = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2) != nullptr;
    MemoryContext old = MemoryContextSwitchTo(context);
    out = lappend(out, pstrdup(table));
    if (has_column) out = lappend(out, psprintf("%s\n%s", table, column_text(context, static_cast<int>(i), 2)));
    MemoryContextSwitchTo(old);
  }
  return out;
}

List* view_names(MemoryContext context, Oid schema) {
  Oid types[1] = {OIDOID};
  Datum values[1] = {ObjectIdGetDatum(schema)};
  if (SPI_execute_with_args(kViewsSql, 1, types, values, nullptr, true, 0) != SPI_OK_SELECT)
    elog(ERROR, "reading the views of the schema failed");
  List* out = NIL;
  for (uint64 i = 0; i < SPI_processed; ++i) {
    char* name = column_text(context, static_cast<int>(i), 1);
    MemoryContext old = MemoryContextSwitchTo(context);
    out = lappend(out, name);
    MemoryContextSwitchTo(old);
  }
  return out;
}

}  // namespace
}  // namespace pgclone::extension

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_masking_report);
}

// pgclone.masking_report(schema) -> (schema_name, table_name, column_name,
// sensitivity, mask_status, recommendation), one row per sensitive column.
extern "C" Datum pgclone_masking_report(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* schema = required_identifier(fcinfo, 0, "schema");
  const Oid namespace_oid = get_namespace_oid(schema, true);
  if (!OidIsValid(namespace_oid)) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_SCHEMA_NAME), errmsg("schema \"%s\" does not exist", schema)));
  }
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  MemoryContext context = CurrentMemoryContext;

  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  List* policies = policy_entries(context, schema);
  List* views = view_names(context, namespace_oid);
  Oid types[1] = {OIDOID};
  Datum args[1] = {ObjectIdGetDatum(namespace_oid)};
  if (SPI_execute_with_args(kColumnsSql, 1, types, args, nullptr, true, 0) != SPI_OK_SELECT)
    elog(ERROR, "reading the columns of schema \"%s\" failed", schema);
  const int64 count = static_cast<int64>(SPI_processed);
  ReportColumn* columns = static_cast<ReportColumn*>(MemoryContextAllocZero(context, sizeof(ReportColumn) * (count + 1)));
  for (int64 i = 0; i < count; ++i) {
    const int row = static_cast<int>(i);
    ReportColumn& c = columns[i];
    c.table_name = column_text(context, row, 1);
    c.column_name = column_text(context, row, 2);
    c.type = column_text(context, row, 3);
    c.type_category = column_text(context, row, 4)[0];
    c.base_type = column_text(context, row, 5);
    c.char_limit = pg_strtoint32(column_text(context, row, 6));
    c.not_null = column_text(context, row, 7)[0] == 't';
    c.policy_masked = contains(policies, psprintf("%s\n%s", c.table_name, c.column_name));
    // A policy's own view masks only what the policy names.
    c.view_exists = !contains(policies, c.table_name) && contains(views, psprintf("%s_masked", c.table_name));
  }
  SPI_finish();

  ReportRow* rows = static_cast<ReportRow*>(palloc0(sizeof(ReportRow) * (count + 1)));
  const char* error = nullptr;
  if (!build_report_rows(columns, count, rows, &error)) {
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s", error)));
  }
  // No C++ call from here on: the rows' strings stay valid.
  for (int64 i = 0; i < count; ++i) {
    if (!rows[i].sensitive) continue;
    Datum values[kReportColumns];
    bool nulls[kReportColumns] = {false, false, false, false, false, false};
    values[0] = CStringGetTextDatum(schema);
    values[1] = CStringGetTextDatum(columns[i].table_name);
    values[2] = CStringGetTextDatum(columns[i].column_name);
    values[3] = CStringGetTextDatum(rows[i].sensitivity);
    values[4] = CStringGetTextDatum(rows[i].mask_status);
    values[5] = CStringGetTextDatum(rows[i].recommendation);
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
  }
  return (Datum)0;
}
