// PostgreSQL frame: see mask_target.h.
#include "pg_headers.h"

#include "mask_target.h"

#include "report.h"

namespace pgclone::extension {
namespace {

// The columns of a relation with what the mask checks need. The base type
// is found through any number of domains.
constexpr const char* kColumnsSql =
    "WITH RECURSIVE base AS ("
    "  SELECT a.attnum, t.oid, t.typtype, t.typbasetype FROM pg_catalog.pg_attribute a"
    "  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    "  WHERE a.attrelid = %u AND a.attnum > 0 AND NOT a.attisdropped"
    "  UNION ALL"
    "  SELECT b.attnum, t.oid, t.typtype, t.typbasetype FROM base b"
    "  JOIN pg_catalog.pg_type t ON t.oid = b.typbasetype WHERE b.typtype = 'd')"
    " SELECT a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), bt.typcategory, bt.typname,"
    "  CASE WHEN bt.typname IN ('varchar', 'bpchar') THEN GREATEST(COALESCE("
    "    NULLIF(a.atttypmod, -1), NULLIF(t.typtypmod, -1), -1) - 4, -1) ELSE -1 END,"
    "  a.attnotnull, a.attgenerated <> '', a.attinhcount > 0,"
    "  EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
    "          WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey)),"
    "  COALESCE((SELECT c.conname FROM pg_catalog.pg_constraint c WHERE c.contype = 'f'"
    "    AND ((c.conrelid = a.attrelid AND a.attnum = ANY (c.conkey))"
    "      OR (c.confrelid = a.attrelid AND a.attnum = ANY (c.confkey)))"
    "    ORDER BY c.conname LIMIT 1), ''),"
    "  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation"
    "    THEN ' COLLATE ' || pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)"
    "    ELSE '' END,"
    "  a.attstorage"
    " FROM pg_catalog.pg_attribute a"
    " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    " JOIN base b0 ON b0.attnum = a.attnum AND b0.typtype <> 'd'"
    " JOIN pg_catalog.pg_type bt ON bt.oid = b0.oid"
    " LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
    " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
    " WHERE a.attrelid = %u AND a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attnum";

char* value_at(uint64 row, int column) {
  char* v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column);
  return v != nullptr ? v : pstrdup("");
}

bool bool_at(uint64 row, int column) { return strcmp(value_at(row, column), "t") == 0; }

void read_columns(MaskTarget* t) {
  if (SPI_execute(psprintf(kColumnsSql, t->relid, t->relid), false, 0) != SPI_OK_SELECT)
    elog(ERROR, "pgclone: could not read the columns of %s", t->qualified);
  const int n = static_cast<int>(SPI_processed);
  t->ncolumns = n;
  t->columns = static_cast<MaskPlanColumn*>(palloc0(sizeof(MaskPlanColumn) * (n + 1)));
  t->attnums = static_cast<int16*>(palloc0(sizeof(int16) * (n + 1)));
  t->collate = static_cast<const char**>(palloc0(sizeof(char*) * (n + 1)));
  t->storage = static_cast<char*>(palloc0(n + 1));
  for (int i = 0; i < n; ++i) {
    MaskPlanColumn& c = t->columns[i];
    t->attnums[i] = static_cast<int16>(atoi(value_at(i, 1)));
    c.name = value_at(i, 2);
    c.quoted = quote_identifier(c.name);
    c.type = value_at(i, 3);
    c.category = value_at(i, 4)[0];
    c.base_type = value_at(i, 5);
    c.char_limit = atoi(value_at(i, 6));
    c.not_null = bool_at(i, 7);
    c.generated = bool_at(i, 8);
    c.inherited = bool_at(i, 9);
    c.unique_key = bool_at(i, 10);
    c.foreign_key = value_at(i, 11);
    t->collate[i] = value_at(i, 12);
    t->storage[i] = value_at(i, 13)[0];
  }
}

// A data exception from checking a literal (say, 'abc' as an integer) as the
// 22023 of a mask that does not fit; anything else (a cancel) as it is.
void check_literals(const MaskTarget* t, const MaskedColumnPlan& m) {
  MemoryContext context = CurrentMemoryContext;
  ResourceOwner owner = CurrentResourceOwner;
  BeginInternalSubTransaction(nullptr);
  MemoryContextSwitchTo(context);
  PG_TRY();
  {
    SPI_execute(m.type_check, false, 1);
    ReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(context);
    ErrorData* error = CopyErrorData();
    FlushErrorState();
    RollbackAndReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
    if (ERRCODE_TO_CATEGORY(error->sqlerrcode) != ERRCODE_DATA_EXCEPTION) ReThrowError(error);
    const MaskPlanColumn& c = t->columns[m.column];
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("cannot mask column \"%s\" of table %s: the mask writes a value that is not a value of "
                           "type %s",
                           c.name, t->qualified, c.type),
                    errdetail("The server said: %s", error->message)));
  }
  PG_END_TRY();
}

bool is_masked(const MaskTarget* t, int column) {
  for (int i = 0; i < t->nmasked; ++i)
    if (t->masked[i].column == column) return true;
  return false;
}

// Generated columns computed from a masked column: a view would show them
// unmasked; an ALTER COLUMN ... TYPE of the masked column would fail on them.
// (A stored generated column's expression is its pg_attrdef row, which
// depends on the columns it reads.)
void check_generated_columns(const MaskTarget* t, MaskUse use) {
  StringInfoData masked;
  initStringInfo(&masked);
  for (int i = 0; i < t->nmasked; ++i)
    appendStringInfo(&masked, "%s%d", i ? "," : "", t->attnums[t->masked[i].column]);
  const char* sql = psprintf(
      "SELECT g.attnum, m.attname FROM pg_catalog.pg_depend d"
      " JOIN pg_catalog.pg_attrdef ad ON ad.oid = d.objid"
      " JOIN pg_catalog.pg_attribute g ON g.attrelid = ad.adrelid AND g.attnum = ad.adnum"
      " JOIN pg_catalog.pg_attribute m ON m.attrelid = d.refobjid AND m.attnum = d.refobjsubid"
      " WHERE d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND ad.adrelid = %u"
      "   AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = %u"
      "   AND g.attgenerated <> '' AND g.attnum <> m.attnum AND d.refobjsubid IN (%s)"
      " ORDER BY g.attnum, m.attnum",
      t->relid, t->relid, masked.data);
  if (SPI_execute(sql, false, 0) != SPI_OK_SELECT) elog(ERROR, "pgclone: could not read generated columns");
  for (uint64 row = 0; row < SPI_processed; ++row) {
    const int attnum = atoi(value_at(row, 1));
    int column = -1;
    for (int i = 0; i < t->ncolumns; ++i)
      if (t->attnums[i] == attnum) column = i;
    if (column < 0) continue;
    if (use == MaskUse::kView && is_masked(t, column)) continue;
    const char* source = value_at(row, 2);
    if (use == MaskUse::kView) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("cannot mask column \"%s\" of table %s in a view: generated column \"%s\" is computed "
                             "from it and would show what the mask hides",
                             source, t->qualified, t->columns[column].name),
                      errhint("Mask \"%s\" as well.", t->columns[column].name)));
    }
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("cannot mask column \"%s\" of table %s in place: generated column \"%s\" is computed from "
                           "it",
                           source, t->qualified, t->columns[column].name),
                    errhint("ALTER TABLE ... ALTER COLUMN %s DROP EXPRESSION first, or drop that column.",
                            t->columns[column].quoted)));
  }
}

}  // namespace

uint64 execute_as(Oid role, const char* sql, int expected) {
  Oid saved_user;
  int saved_context;
  GetUserIdAndSecContext(&saved_user, &saved_context);
  SetUserIdAndSecContext(role, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  const int rc = SPI_execute(sql, false, 0);
  SetUserIdAndSecContext(saved_user, saved_context);
  if (rc != expected) elog(ERROR, "pgclone: unexpected result %d of: %s", rc, sql);
  return SPI_processed;
}

char* query_value(const char* sql) {
  if (SPI_execute(sql, false, 1) != SPI_OK_SELECT) elog(ERROR, "pgclone: query failed: %s", sql);
  if (SPI_processed == 0) return nullptr;
  return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

const char* descendants_sql(const MaskTarget* t) {
  return psprintf(
      "ARRAY(WITH RECURSIVE tree AS (SELECT %u::pg_catalog.oid AS relid UNION"
      " SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree ON i.inhparent = tree.relid)"
      " SELECT relid FROM tree)",
      t->relid);
}

MaskTarget* open_mask_target(const char* schema, const char* table, LOCKMODE lock, const char* action) {
  MaskTarget* t = static_cast<MaskTarget*>(palloc0(sizeof(MaskTarget)));
  t->schema = pstrdup(schema);
  t->table = pstrdup(table);
  t->qualified = quote_qualified_identifier(schema, table);
  RangeVar* name = makeRangeVar(pstrdup(schema), pstrdup(table), -1);
  t->relid = RangeVarGetRelid(name, NoLock, true);
  if (!OidIsValid(t->relid))
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("table %s does not exist", t->qualified)));
  // Ownership before the lock: a caller who may not touch the table must not
  // be able to queue a lock on it either.
  if (!pg_class_ownercheck(t->relid, GetUserId())) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("must be owner of table %s", t->qualified),
                    errdetail("Only the table's owner, a member of the owning role or a superuser may %s it.",
                              action)));
  }
  LockRelationOid(t->relid, lock);
  HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(t->relid));
  if (!HeapTupleIsValid(tuple))
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE), errmsg("table %s does not exist", t->qualified)));
  Form_pg_class form = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple));
  t->relkind = form->relkind;
  t->owner = form->relowner;
  t->row_security = form->relrowsecurity;
  ReleaseSysCache(tuple);
  if (t->relkind != RELKIND_RELATION && t->relkind != RELKIND_PARTITIONED_TABLE) {
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE), errmsg("%s is not a table", t->qualified),
                    errdetail("Only ordinary and partitioned tables can be masked in the database."),
                    errhint("Mask the table a view or materialized view reads from; a foreign table is masked "
                            "on its own server.")));
  }
  read_columns(t);
  return t;
}

void plan_target_masks(MaskTarget* t, const char* mask_json, MaskUse use) {
  const MaskPlan plan = plan_masks(t->qualified, mask_json, t->columns, t->ncolumns, use);
  if (!plan.ok) report_error(plan.sqlstate, plan.message, plan.detail, plan.hint, nullptr);
  // The planner's strings live until its next call: copy them.
  t->nmasked = plan.count;
  t->masked = static_cast<MaskedColumnPlan*>(palloc0(sizeof(MaskedColumnPlan) * (plan.count + 1)));
  for (int i = 0; i < plan.count; ++i) {
    t->masked[i].column = plan.columns[i].column;
    t->masked[i].expression = pstrdup(plan.columns[i].expression);
    t->masked[i].length_check = pstrdup(plan.columns[i].length_check);
    t->masked[i].type_check = pstrdup(plan.columns[i].type_check);
    t->masked[i].rule_json = pstrdup(plan.columns[i].rule_json);
  }
  t->masks_json = pstrdup(plan.masks_json);
  for (int i = 0; i < t->nmasked; ++i)
    if (t->masked[i].type_check[0] != '\0') check_literals(t, t->masked[i]);
  check_generated_columns(t, use);
}

}  // namespace pgclone::extension
