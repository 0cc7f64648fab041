#!/usr/bin/env bash
# Masking policies survive pg_dump / pg_restore (issue 11): the catalog rows of
# pgclone.masking_policies are dumped (pg_extension_config_dump), the view and
# the grants are ordinary objects. Restored into a fresh database, the view
# masks for an ordinary role and not for the privileged one, the privileges
# and the catalog row are those of the original, and drop_masking_policy
# undoes the policy there exactly as it would have in the original.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup

SRC=pgclone_maskdump_src
DST=pgclone_maskdump_dst
DUMP="$PGC_TMPDIR/maskdump.$$.dump"
ROLES="pgcmd_owner pgcmd_priv pgcmd_plain"

drop_all() {
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)" >/dev/null 2>&1
  local r
  for r in $ROLES; do pgc_psql target -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
  rm -f "$DUMP"
}
trap 'drop_all; pgc_cleanup' EXIT   # (pgc_cleanup: a no-op unless this script built its own clusters)
drop_all

# Privileges of a relation and its columns as one comparable text, and the
# policy's catalog row (but its timestamp) as text.
ACL_SQL="SELECT coalesce(string_agg(x, ' ' ORDER BY x), '') FROM (
  SELECT a.grantee::regrole::text || '/' || a.privilege_type || '/' || a.grantor::regrole::text AS x
    FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a WHERE c.oid = '%s'::regclass
  UNION ALL
  SELECT t.attname || ':' || a.grantee::regrole::text || '/' || a.privilege_type || '/' || a.grantor::regrole::text
    FROM pg_attribute t, aclexplode(t.attacl) a WHERE t.attrelid = '%s'::regclass) s"
acl() { pgc_psql target -d "$1" -c "$(printf "$ACL_SQL" "$2" "$2")"; }
ROW_SQL="SELECT row(schema_name, table_name, view_name, masks, privileged_role, created_by, created_at,
  public_select_revoked, public_column_select_revoked, role_select_granted)::text FROM pgclone.masking_policies"

for r in $ROLES; do pgc_psql target -d postgres -c "CREATE ROLE $r" >/dev/null; done
pgc_psql target -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql target -d "$SRC" >/dev/null <<'SQL'
CREATE EXTENSION pgclone;
CREATE SCHEMA crm AUTHORIZATION pgcmd_owner;
GRANT USAGE ON SCHEMA crm TO PUBLIC;
SET ROLE pgcmd_owner;
CREATE TABLE crm.customers (id int PRIMARY KEY, email text, phone text, city text);
INSERT INTO crm.customers VALUES (1, 'alice@example.com', '555-123-4567', 'Berlin'), (2, NULL, NULL, 'Paris');
GRANT SELECT ON crm.customers TO PUBLIC;
RESET ROLE;
SQL
t_ok $? "database $SRC: table crm.customers, readable by PUBLIC"
table_acl_before=$(acl "$SRC" crm.customers)

out=$(pgc_psql target -d "$SRC" -c "SELECT pgclone.create_masking_policy('crm', 'customers', '{\"email\": \"email\", \"phone\": \"phone\"}', 'pgcmd_priv')" 2>&1)
t_is "$out" "OK: masking policy on crm.customers: view crm.customers_masked (2 columns masked, privileged role pgcmd_priv)" \
  "policy created"
src_table_acl=$(acl "$SRC" crm.customers)
src_view_acl=$(acl "$SRC" crm.customers_masked)
src_row=$(pgc_psql target -d "$SRC" -c "$ROW_SQL")
src_view_def=$(pgc_psql target -d "$SRC" -c "SELECT pg_get_viewdef('crm.customers_masked'::regclass)")

PGAPPNAME=pgclone_tests "$PGC_PG_BINDIR/pg_dump" -h "$PGC_TARGET_SOCK" -p "$PGC_TARGET_PORT" -U postgres -Fc -f "$DUMP" "$SRC"
t_ok $? "pg_dump -Fc of $SRC"
pgc_psql target -d postgres -c "CREATE DATABASE $DST" >/dev/null
restore_out=$(PGAPPNAME=pgclone_tests "$PGC_PG_BINDIR/pg_restore" -h "$PGC_TARGET_SOCK" -p "$PGC_TARGET_PORT" -U postgres \
  --exit-on-error -d "$DST" "$DUMP" 2>&1)
t_ok $? "pg_restore into a fresh database $DST (it creates the extension)" "$restore_out"

t_is "$(pgc_psql target -d "$DST" -c "SELECT extversion FROM pg_extension WHERE extname = 'pgclone'")" "0.1.0" \
  "the restored database has the extension"
t_is "$(pgc_psql target -d "$DST" -c "$ROW_SQL")" "$src_row" "the catalog row came back unchanged"
t_is "$(pgc_psql target -d "$DST" -c "SELECT relkind::text || ' ' || relowner::regrole::text || ' ' || array_to_string(reloptions, ',')
                                      FROM pg_class WHERE oid = 'crm.customers_masked'::regclass")" \
  "v pgcmd_owner security_barrier=true" "the view came back: a security_barrier view of the table's owner"
t_is "$(pgc_psql target -d "$DST" -c "SELECT pg_get_viewdef('crm.customers_masked'::regclass)")" "$src_view_def" \
  "with the same definition"
t_is "$(acl "$DST" crm.customers)" "$src_table_acl" "the table's privileges are those of the original (no PUBLIC)"
t_is "$(acl "$DST" crm.customers_masked)" "$src_view_acl" "the view's privileges too (PUBLIC may read it)"

t_is "$(pgc_psql target -d "$DST" -c "SET ROLE pgcmd_plain" -c "SELECT email || ' ' || phone FROM crm.customers_masked WHERE id = 1")" \
  "a***@example.com ***-4567" "an ordinary role reads masked values in the restored view"
t_like "$(pgc_psql target -d "$DST" -c "SET ROLE pgcmd_plain" -c "SELECT email FROM crm.customers" 2>&1)" \
  "permission denied" "and cannot read the table"
t_is "$(pgc_psql target -d "$DST" -c "SET ROLE pgcmd_priv" -c "SELECT email || ' ' || phone FROM crm.customers_masked WHERE id = 1")" \
  "alice@example.com 555-123-4567" "the privileged role reads real values"

out=$(pgc_psql target -d "$DST" -c "SELECT pgclone.drop_masking_policy('crm', 'customers')" 2>&1)
t_like "$out" "^OK: masking policy on crm.customers dropped \(view crm.customers_masked dropped; SELECT on crm.customers given back to PUBLIC; SELECT on crm.customers revoked from pgcmd_priv\)$" \
  "drop_masking_policy works in the restored database"
t_is "$(acl "$DST" crm.customers)" "$table_acl_before" "the table's privileges are those from before the policy"
t_is "$(pgc_psql target -d "$DST" -c "SELECT (to_regclass('crm.customers_masked') IS NULL)::text || ' ' || count(*) FROM pgclone.masking_policies")" \
  "true 0" "view and catalog row are gone"

t_done
