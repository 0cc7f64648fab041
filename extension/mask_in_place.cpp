// PostgreSQL frame: mask_in_place(schema, table, mask_json).
//
// One ALTER TABLE ... ALTER COLUMN c TYPE <its own type> USING <mask>, ... for
// all masked columns. With a USING expression PostgreSQL rewrites the table
// into a new relfilenode (and its TOAST table), rebuilds every index, and
// drops the old files when the transaction commits: no old row version is
// left in the table's heap, TOAST or indexes. It also drops the masked
// columns' statistics (pg_statistic would otherwise keep real values as most
// common values). Unlike UPDATE + VACUUM FULL it runs inside a transaction
// block, fires no row triggers (an audit trigger would copy the real values
// elsewhere), and a cancel or an error leaves the table as it was. ALTER
// TABLE on the parent recurses into partitions and inheritance children.
//
// Progress: the rewrite is one utility statement in the caller's session (it
// must be: the caller's transaction may hold locks on the table, which an
// agent connection would wait for). It is still a job: once the up-front
// checks passed (a refused call creates none), it is registered with the
// agent as a "local job" (local_job.h) that the agent records but does not
// run, so pgclone.jobs_view lists it as running and pgclone.cancel() stops it
// (by pg_cancel_backend of this backend); its end is reported from here, from
// the error path, or from before_shmem_exit when the backend exits. Its
// "completed" means the rewrite finished in the caller's transaction, which
// may still roll back. PostgreSQL reports no progress for an ALTER TABLE
// rewrite, so the job shows its phase, not a percentage.
#include "pg_headers.h"

#include "local_job.h"
#include "mask_target.h"
#include "masking.h"

namespace pgclone::extension {
namespace {

const char* masked_names_sql(const MaskTarget* t) {
  StringInfoData s;
  initStringInfo(&s);
  appendStringInfoString(&s, "ARRAY[");
  for (int i = 0; i < t->nmasked; ++i)
    appendStringInfo(&s, "%s%s", i ? ", " : "", quote_literal_cstr(t->columns[t->masked[i].column].name));
  appendStringInfoString(&s, "]::pg_catalog.name[]");
  return s.data;
}

// ALTER COLUMN ... TYPE refuses columns that views or rules use; say so up
// front, naming the view, rather than halfway.
void refuse_dependent_rules(const MaskTarget* t) {
  const char* sql = psprintf(
      "SELECT a.attname, v.ev_class::pg_catalog.regclass::pg_catalog.text, d.refobjid::pg_catalog.regclass::pg_catalog.text"
      " FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite v ON v.oid = d.objid"
      " JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
      " WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
      "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
      "   AND d.refobjid = ANY (%s) AND v.ev_class <> d.refobjid AND a.attname = ANY (%s)"
      " ORDER BY 2, 1 LIMIT 1",
      descendants_sql(t), masked_names_sql(t));
  if (SPI_execute(sql, false, 1) != SPI_OK_SELECT) elog(ERROR, "pgclone: could not read the views on %s", t->qualified);
  if (SPI_processed == 0) return;
  HeapTuple row = SPI_tuptable->vals[0];
  TupleDesc desc = SPI_tuptable->tupdesc;
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("cannot mask column \"%s\" of table %s in place: view %s uses it",
                         SPI_getvalue(row, desc, 1), SPI_getvalue(row, desc, 3), SPI_getvalue(row, desc, 2)),
                  errdetail("A column that a view or rule uses cannot be rewritten."),
                  errhint("Drop the view first (for a masking view: pgclone.drop_masking_policy), and create it "
                          "again afterwards.")));
}

// A mask whose length depends on the data (email into varchar(n)) must fit
// every row: the longest masked value is measured before anything changes.
void refuse_too_long(const MaskTarget* t) {
  for (int i = 0; i < t->nmasked; ++i) {
    const MaskedColumnPlan& m = t->masked[i];
    if (m.length_check[0] == '\0') continue;
    const MaskPlanColumn& c = t->columns[m.column];
    char* longest = query_value(psprintf("SELECT %s FROM %s", m.length_check, t->qualified));
    if (longest == nullptr || atoi(longest) <= c.char_limit) continue;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("cannot mask column \"%s\" of table %s in place: masked values reach %s characters, "
                           "longer than %s holds",
                           c.name, t->qualified, longest, c.type),
                    errhint("Use a mask with a fixed length, such as \"hash\" or \"partial\".")));
  }
}

const char* alter_sql(const MaskTarget* t) {
  StringInfoData sql;
  initStringInfo(&sql);
  appendStringInfo(&sql, "ALTER TABLE %s", t->qualified);
  for (int i = 0; i < t->nmasked; ++i) {
    const MaskedColumnPlan& m = t->masked[i];
    const MaskPlanColumn& c = t->columns[m.column];
    appendStringInfo(&sql, "%s ALTER COLUMN %s TYPE %s%s USING %s", i ? "," : "", c.quoted, c.type,
                     t->collate[m.column], m.expression);
  }
  return sql.data;
}

// ALTER COLUMN ... TYPE resets a column's storage to its type's default; a
// SET STORAGE the owner chose is put back.
void restore_storage(const MaskTarget* t) {
  for (int i = 0; i < t->nmasked; ++i) {
    const int column = t->masked[i].column;
    char* now = query_value(psprintf("SELECT attstorage FROM pg_catalog.pg_attribute WHERE attrelid = %u AND attnum = %d",
                                     t->relid, t->attnums[column]));
    if (now == nullptr || now[0] == t->storage[column]) continue;
    const char* storage = t->storage[column] == 'p' ? "PLAIN"
                          : t->storage[column] == 'e' ? "EXTERNAL"
                          : t->storage[column] == 'm' ? "MAIN"
                                                      : "EXTENDED";
    const char* sql =
        psprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", t->qualified, t->columns[column].quoted, storage);
    if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY) elog(ERROR, "pgclone: could not run %s", sql);
  }
}

}  // namespace

char* mask_in_place(const char* schema, const char* table, const char* mask_json) {
  // The rewrite takes ACCESS EXCLUSIVE anyway; taking it first keeps the
  // checks below true until the rewrite and avoids a lock upgrade.
  MaskTarget* t = open_mask_target(schema, table, AccessExclusiveLock, "mask");
  plan_target_masks(t, mask_json, MaskUse::kInPlace);
  refuse_dependent_rules(t);
  refuse_too_long(t);

  const char* size = query_value(psprintf(
      "SELECT pg_catalog.pg_size_pretty(pg_catalog.sum(pg_catalog.pg_table_size(r))) FROM pg_catalog.unnest(%s) AS r",
      descendants_sql(t)));
  const int64 job_id = local_job_start("mask_in_place", schema, table, "rewriting table");
  const char* how_listed =
      job_id != 0 ? psprintf("pgclone.jobs_view lists it as job " INT64_FORMAT "; pgclone.cancel(" INT64_FORMAT "), ",
                             job_id, job_id)
                  : "";
  ereport(NOTICE, (errmsg("masking %d column%s of table %s in place: rewriting %s of table data and rebuilding its "
                          "indexes",
                          t->nmasked, t->nmasked == 1 ? "" : "s", t->qualified, size != nullptr ? size : "0 bytes"),
                   errdetail("This runs in your session; %spg_cancel_backend(%d) or statement_timeout stops it and "
                             "leaves the table as it was.",
                             how_listed, MyProcPid)));
  MemoryContext frame = CurrentMemoryContext;
  char* volatile result = nullptr;
  PG_TRY();
  {
    if (SPI_execute(alter_sql(t), false, 0) != SPI_OK_UTILITY) {
      elog(ERROR, "pgclone: could not rewrite %s", t->qualified);
    }
    restore_storage(t);
    const char* rows = query_value(psprintf("SELECT pg_catalog.count(*) FROM %s", t->qualified));
    // "columns" even for one: the result text is the established extension's.
    result = psprintf("OK: masked %s rows in %s (%d columns)", rows, t->qualified, t->nmasked);
    // Inside the PG_TRY: a cancel while reporting is still the job's end.
    local_job_completed(job_id, result, rows != nullptr ? strtoll(rows, nullptr, 10) : 0);
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(frame);
    const ErrorData* error = CopyErrorData();
    local_job_failed(job_id, error);
    PG_RE_THROW();
  }
  PG_END_TRY();
  return result;
}

}  // namespace pgclone::extension
