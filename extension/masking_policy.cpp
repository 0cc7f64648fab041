// PostgreSQL frame: dynamic masking policies (create_masking_policy,
// drop_masking_policy).
//
// Who does what:
// - the checks run as the caller, who must own the table (or be a member of
//   its owner, or a superuser);
// - the view, its grant and the table's grants are made as the table's owner
//   (SECURITY_LOCAL_USERID_CHANGE), so the view belongs to the table's owner
//   and every grant and revoke has the owner as grantor, whoever called: what
//   drop_masking_policy undoes is then exactly what create did;
// - the row of pgclone.masking_policies is written as the extension's owner,
//   with values this code computed after the checks: callers get no write
//   access to the catalog, and there is no SQL-callable back door to it.
//
// The view decides per query, per row:
//   CASE WHEN pg_has_role(CURRENT_USER, 'role'::regrole, 'MEMBER') THEN col ELSE <mask> END
// Functions in a view run as the querying role (only the table is read with
// the view owner's rights), so CURRENT_USER is whoever reads the view, after
// SET ROLE, and the definer inside a SECURITY DEFINER function. SESSION_USER
// would be wrong: a privileged login that did SET ROLE to an unprivileged
// role would still see real values. The role is a regrole constant: it
// follows a rename, and pg_dump writes it back by name.
#include "pg_headers.h"

#include "mask_target.h"
#include "masking.h"

namespace pgclone::extension {
namespace {

constexpr const char* kViewSuffix = "_masked";

struct PolicyRow {
  const char* view_name;
  const char* privileged_role;
  bool public_select_revoked;
  const char* public_columns;  // quoted, comma-separated; "" when none
  bool role_select_granted;
};

Oid extension_owner() {
  char* owner = query_value("SELECT extowner FROM pg_catalog.pg_extension WHERE extname = 'pgclone'");
  if (owner == nullptr) elog(ERROR, "pgclone: extension pgclone is not installed in this database");
  return atooid(owner);
}

const char* literal(const char* text) { return quote_literal_cstr(text); }

// The policy of schema.table, or nullptr. Read as the extension's owner: the
// catalog's privileges are not the caller's concern.
PolicyRow* find_policy(const char* schema, const char* table) {
  const char* sql = psprintf(
      "SELECT view_name, privileged_role, public_select_revoked,"
      " pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(c)"
      "   FROM pg_catalog.unnest(public_column_select_revoked) AS c), ', '),"
      " role_select_granted"
      " FROM pgclone.masking_policies WHERE schema_name = %s AND table_name = %s",
      literal(schema), literal(table));
  execute_as(extension_owner(), sql, SPI_OK_SELECT);
  if (SPI_processed == 0) return nullptr;
  PolicyRow* row = static_cast<PolicyRow*>(palloc0(sizeof(PolicyRow)));
  HeapTuple tuple = SPI_tuptable->vals[0];
  TupleDesc desc = SPI_tuptable->tupdesc;
  row->view_name = SPI_getvalue(tuple, desc, 1);
  row->privileged_role = SPI_getvalue(tuple, desc, 2);
  row->public_select_revoked = strcmp(SPI_getvalue(tuple, desc, 3), "t") == 0;
  row->public_columns = SPI_getvalue(tuple, desc, 4);
  row->role_select_granted = strcmp(SPI_getvalue(tuple, desc, 5), "t") == 0;
  return row;
}

bool query_true(const char* sql) {
  const char* v = query_value(sql);
  return v != nullptr && strcmp(v, "t") == 0;
}

// Whether `grantee` (0: PUBLIC) holds SELECT on the table from its owner.
bool owner_granted_select(const MaskTarget* t, Oid grantee) {
  return query_true(psprintf(
      "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c,"
      " pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a"
      " WHERE c.oid = %u AND a.grantee = %u AND a.grantor = c.relowner AND a.privilege_type = 'SELECT')",
      t->relid, grantee));
}

// PUBLIC's SELECT must be the owner's to take (and give back); a grant by
// another role cannot be revoked by the owner, and would keep the table open.
void refuse_foreign_public_grants(const MaskTarget* t) {
  const char* grantor = query_value(psprintf(
      "SELECT a.grantor::pg_catalog.regrole::pg_catalog.text FROM pg_catalog.pg_class c,"
      " pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a"
      " WHERE c.oid = %u AND a.grantee = 0 AND a.grantor <> c.relowner AND a.privilege_type = 'SELECT'"
      " UNION ALL"
      " SELECT a.grantor::pg_catalog.regrole::pg_catalog.text FROM pg_catalog.pg_attribute t,"
      " pg_catalog.aclexplode(t.attacl) a"
      " WHERE t.attrelid = %u AND a.grantee = 0 AND a.grantor <> %u AND a.privilege_type = 'SELECT'"
      " LIMIT 1",
      t->relid, t->relid, t->owner));
  if (grantor != nullptr) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("cannot create a masking policy on table %s: PUBLIC holds SELECT on it from role %s, "
                           "not from the table's owner",
                           t->qualified, grantor),
                    errdetail("The policy takes SELECT away from PUBLIC as the table's owner, which cannot revoke "
                              "another role's grant."),
                    errhint("Revoke it as %s first (REVOKE SELECT ON %s FROM PUBLIC).", grantor, t->qualified)));
  }
  const char* child = query_value(psprintf(
      "SELECT r::pg_catalog.regclass::pg_catalog.text FROM pg_catalog.unnest(%s) AS r"
      " WHERE r <> %u AND pg_catalog.has_any_column_privilege('public', r, 'SELECT') LIMIT 1",
      descendants_sql(t), t->relid));
  if (child != nullptr) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("cannot create a masking policy on table %s: PUBLIC may read its partition or child "
                           "table %s directly",
                           t->qualified, child),
                    errhint("REVOKE SELECT ON %s FROM PUBLIC first.", child)));
  }
}

// "1,3": the attnums of the masked columns.
const char* masked_attnums(const MaskTarget* t) {
  StringInfoData s;
  initStringInfo(&s);
  for (int i = 0; i < t->nmasked; ++i) appendStringInfo(&s, "%s%d", i ? "," : "", t->attnums[t->masked[i].column]);
  return s.data;
}

// Masked columns PUBLIC may SELECT through a column grant (from the owner:
// other grantors were refused before).
struct ColumnGrants {
  const char* quoted;  // for GRANT/REVOKE: quoted, comma-separated; "" when none
  const char* array;   // the raw names as a name[] literal, for the catalog
};

ColumnGrants public_masked_column_grants(const MaskTarget* t) {
  const char* sql = psprintf(
      "SELECT COALESCE(pg_catalog.string_agg(pg_catalog.quote_ident(t.attname), ', ' ORDER BY t.attnum), ''),"
      " COALESCE(pg_catalog.array_agg(t.attname ORDER BY t.attnum), '{}')::pg_catalog.text"
      " FROM pg_catalog.pg_attribute t WHERE t.attrelid = %u AND t.attnum IN (%s)"
      " AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(t.attacl) a WHERE a.grantee = 0 AND a.privilege_type = 'SELECT')",
      t->relid, masked_attnums(t));
  if (SPI_execute(sql, false, 1) != SPI_OK_SELECT || SPI_processed != 1) elog(ERROR, "pgclone: could not read column grants");
  ColumnGrants out;
  out.quoted = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
  out.array = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
  return out;
}

const char* view_sql(const MaskTarget* t, const char* view, const char* role) {
  StringInfoData sql;
  initStringInfo(&sql);
  const char* member = psprintf("pg_catalog.pg_has_role(CURRENT_USER, %s::pg_catalog.name, 'MEMBER')", literal(role));
  appendStringInfo(&sql, "CREATE VIEW %s WITH (security_barrier = true) AS SELECT ",
                   quote_qualified_identifier(t->schema, view));
  for (int i = 0; i < t->ncolumns; ++i) {
    const MaskPlanColumn& c = t->columns[i];
    if (i > 0) appendStringInfoString(&sql, ", ");
    const MaskedColumnPlan* m = nullptr;
    for (int k = 0; k < t->nmasked; ++k)
      if (t->masked[k].column == i) m = &t->masked[k];
    if (m == nullptr) {
      appendStringInfoString(&sql, c.quoted);
    } else {
      appendStringInfo(&sql, "CASE WHEN %s THEN %s ELSE %s END AS %s", member, c.quoted, m->expression, c.quoted);
    }
  }
  appendStringInfo(&sql, " FROM %s", t->qualified);
  return sql.data;
}

// Undoes a policy: the view, then exactly the grants the policy changed,
// then its row. The caller has checked ownership (or the table is gone).
const char* undo_policy(const MaskTarget* t, const char* schema, const char* table, const PolicyRow* row) {
  StringInfoData said;
  initStringInfo(&said);
  const char* qualified = quote_qualified_identifier(schema, table);
  const char* view = quote_qualified_identifier(schema, row->view_name);
  if (t != nullptr) {
    if (query_true(psprintf("SELECT pg_catalog.to_regclass(%s) IS NOT NULL", literal(view)))) {
      execute_as(t->owner, psprintf("DROP VIEW %s", view), SPI_OK_UTILITY);
      appendStringInfo(&said, "view %s dropped", view);
    } else {
      appendStringInfo(&said, "view %s was already gone", view);
    }
    if (row->public_select_revoked) {
      execute_as(t->owner, psprintf("GRANT SELECT ON %s TO PUBLIC", qualified), SPI_OK_UTILITY);
      appendStringInfo(&said, "; SELECT on %s given back to PUBLIC", qualified);
    } else {
      appendStringInfo(&said, "; PUBLIC had no SELECT on %s before the policy and gets none", qualified);
    }
    if (row->public_columns[0] != '\0') {
      execute_as(t->owner, psprintf("GRANT SELECT (%s) ON %s TO PUBLIC", row->public_columns, qualified),
                 SPI_OK_UTILITY);
      appendStringInfo(&said, "; SELECT (%s) given back to PUBLIC", row->public_columns);
    }
    if (row->role_select_granted) {
      if (OidIsValid(get_role_oid(row->privileged_role, true))) {
        execute_as(t->owner, psprintf("REVOKE SELECT ON %s FROM %s", qualified, quote_identifier(row->privileged_role)),
                   SPI_OK_UTILITY);
        appendStringInfo(&said, "; SELECT on %s revoked from %s", qualified, quote_identifier(row->privileged_role));
      } else {
        appendStringInfo(&said, "; role %s no longer exists", quote_identifier(row->privileged_role));
      }
    }
  } else {
    appendStringInfo(&said, "table %s no longer exists", qualified);
  }
  execute_as(extension_owner(),
             psprintf("DELETE FROM pgclone.masking_policies WHERE schema_name = %s AND table_name = %s",
                      literal(schema), literal(table)),
             SPI_OK_DELETE);
  return said.data;
}

}  // namespace

char* create_masking_policy(const char* schema, const char* table, const char* mask_json, const char* role) {
  MaskTarget* t = open_mask_target(schema, table, ShareUpdateExclusiveLock, "create a masking policy on");
  if (pg_strcasecmp(role, "public") == 0) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("privileged_role must be a role, not PUBLIC"),
                    errdetail("Everyone would see the real values.")));
  }
  const Oid role_oid = get_role_oid(role, false);  // 42704 when there is none
  if (t->row_security) {
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cannot create a masking policy on table %s: it has row level security", t->qualified),
                    errdetail("The masking view reads the table with its owner's rights, which would bypass the "
                              "table's row security policies and show every row.")));
  }
  const char* view = psprintf("%s%s", table, kViewSuffix);
  if (strlen(view) >= NAMEDATALEN) {
    ereport(ERROR, (errcode(ERRCODE_NAME_TOO_LONG),
                    errmsg("cannot create a masking policy on table %s: the view's name \"%s\" is longer than %d "
                           "bytes",
                           t->qualified, view, NAMEDATALEN - 1),
                    errhint("Rename the table to a shorter name.")));
  }
  const char* replaced = "";
  if (const PolicyRow* old = find_policy(schema, table)) {
    undo_policy(t, schema, table, old);
    replaced = " replaced";
  }
  plan_target_masks(t, mask_json, MaskUse::kView);
  const Oid nsp = get_namespace_oid(schema, false);
  if (OidIsValid(get_relname_relid(view, nsp))) {
    ereport(ERROR, (errcode(ERRCODE_DUPLICATE_TABLE),
                    errmsg("relation %s already exists", quote_qualified_identifier(schema, view)),
                    errdetail("The masking view of %s would take that name, and it is not the view of a masking "
                              "policy.",
                              t->qualified),
                    errhint("Drop or rename %s first.", quote_qualified_identifier(schema, view))));
  }
  refuse_foreign_public_grants(t);
  const bool public_select = owner_granted_select(t, InvalidOid);
  const ColumnGrants public_columns = public_masked_column_grants(t);
  const bool role_had_select = owner_granted_select(t, role_oid);

  const char* qualified_view = quote_qualified_identifier(schema, view);
  execute_as(t->owner, view_sql(t, view, role), SPI_OK_UTILITY);
  execute_as(t->owner,
             psprintf("COMMENT ON VIEW %s IS %s", qualified_view,
                      literal(psprintf("masking view of %s (pgclone.create_masking_policy): members of %s see real "
                                       "values, everyone else masked ones; pgclone.drop_masking_policy(%s, %s) "
                                       "removes it",
                                       t->qualified, quote_identifier(role), literal(schema), literal(table)))),
             SPI_OK_UTILITY);
  execute_as(t->owner, psprintf("GRANT SELECT ON %s TO PUBLIC", qualified_view), SPI_OK_UTILITY);
  if (public_select) execute_as(t->owner, psprintf("REVOKE SELECT ON %s FROM PUBLIC", t->qualified), SPI_OK_UTILITY);
  if (public_columns.quoted[0] != '\0')
    execute_as(t->owner, psprintf("REVOKE SELECT (%s) ON %s FROM PUBLIC", public_columns.quoted, t->qualified),
               SPI_OK_UTILITY);
  if (!role_had_select)
    execute_as(t->owner, psprintf("GRANT SELECT ON %s TO %s", t->qualified, quote_identifier(role)), SPI_OK_UTILITY);

  // Whatever path was not foreseen: PUBLIC must not read a masked column.
  if (query_true(psprintf("SELECT pg_catalog.bool_or(pg_catalog.has_column_privilege('public', %u, a, 'SELECT'))"
                          " FROM pg_catalog.unnest(ARRAY[%s]::pg_catalog.int2[]) a",
                          t->relid, masked_attnums(t)))) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("cannot create a masking policy on table %s: PUBLIC could still read a masked column",
                           t->qualified)));
  }

  execute_as(extension_owner(),
             psprintf("INSERT INTO pgclone.masking_policies (schema_name, table_name, view_name, masks,"
                      " privileged_role, created_by, public_select_revoked, public_column_select_revoked,"
                      " role_select_granted) VALUES (%s, %s, %s, %s::pg_catalog.jsonb, %s, %s, %s, %s::pg_catalog.name[], %s)",
                      literal(schema), literal(table), literal(view), literal(t->masks_json), literal(role),
                      literal(GetUserNameFromId(GetUserId(), false)), public_select ? "true" : "false",
                      literal(public_columns.array), role_had_select ? "false" : "true"),
             SPI_OK_INSERT);

  const char* others = query_value(psprintf(
      "SELECT pg_catalog.string_agg(DISTINCT a.grantee::pg_catalog.regrole::pg_catalog.text, ', ')"
      " FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a"
      " WHERE c.oid = %u AND a.privilege_type = 'SELECT' AND a.grantee NOT IN (0, c.relowner, %u)",
      t->relid, role_oid));
  if (others != nullptr) {
    ereport(NOTICE, (errmsg("roles %s keep SELECT on table %s and read its real values there", others, t->qualified),
                     errhint("Revoke it from them to have them read the masking view.")));
  }
  return psprintf("OK: masking policy on %s%s: view %s (%d columns masked, privileged role %s)", t->qualified,
                  replaced, qualified_view, t->nmasked, quote_identifier(role));
}

char* drop_masking_policy(const char* schema, const char* table) {
  const char* qualified = quote_qualified_identifier(schema, table);
  const PolicyRow* row = find_policy(schema, table);
  if (row == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("table %s has no masking policy", qualified)));
  }
  // A table dropped with CASCADE took its view along; only the row is left.
  MaskTarget* t = nullptr;
  if (OidIsValid(RangeVarGetRelid(makeRangeVar(pstrdup(schema), pstrdup(table), -1), NoLock, true)))
    t = open_mask_target(schema, table, ShareUpdateExclusiveLock, "drop the masking policy of");
  const char* said = undo_policy(t, schema, table, row);
  return psprintf("OK: masking policy on %s dropped (%s)", qualified, said);
}

}  // namespace pgclone::extension
