#!/usr/bin/env bash
# table_sample() and schema_sample(): referentially consistent subsets.
# On pagila (tests/fixtures/pagila/, a real-world schema nobody here wrote:
# a partitioned payment table with foreign keys on each partition, chains of
# references rental -> inventory -> film -> language, nullable references)
# and on small schemas of our own (a self-reference chain, a cycle of two
# tables, a reference into another schema):
#   * every foreign key of every sample holds — checked independently of the
#     clone by dropping and re-adding each one in a rolled-back transaction;
#   * every sampled row is a row of the source, unchanged;
#   * the same seed gives the same sample, another seed another one;
#   * rows / percent / where / include_children / masks do what they say;
#   * bad input is refused with the right SQLSTATE and changes nothing.
set -uo pipefail
source "$(dirname "$0")/../harness/lib.sh"
pgc_attach_or_setup
export PGTZ=UTC

SRC=pgclone_sample_src
FIXTURE="$PGC_REPO/tests/fixtures/pagila"
TARGETS=(pgclone_sample_a pgclone_sample_b pgclone_sample_c pgclone_sample_d)

src_conninfo() { echo "host=$PGC_SOURCE_SOCK port=$PGC_SOURCE_PORT dbname=$SRC user=postgres"; }
SRC_QL=""
call() { pgc_try_target_db "$1" "$2"; }   # call DB SQL -> "OK <result>" or "ERROR <sqlstate> <message>|..."
on_target() { pgc_psql target -d "$1" -c "$2"; }
on_source() { pgc_psql source -d "$SRC" -c "$1"; }

fresh_target() {   # a database with nothing but pgclone (its public schema empty)
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  pgc_psql target -d postgres -c "CREATE DATABASE $1" \
    -c "ALTER DATABASE $1 SET pgclone.agent_endpoint = '$PGC_AGENT_ENDPOINT'" >/dev/null &&
    pgc_psql target -d "$1" -c "CREATE EXTENSION pgclone" >/dev/null
}

# Every foreign key, dropped and re-added in a rolled-back transaction
# (tests/harness/check_foreign_keys.sql): "checked N" or the violation.
check_foreign_keys() {   # check_foreign_keys DB
  pgc_psql target -d "$1" -v ON_ERROR_STOP=1 -f "$PGC_REPO/tests/harness/check_foreign_keys.sql" 2>&1 |
    grep -v '^\(BEGIN\|ROLLBACK\|DO\)$'
}

# Rows of a table on the target that are not rows of the source (all
# columns compared as text): must be none.
foreign_rows() {   # foreign_rows DB TABLE -> count
  local rows
  rows=$(pgc_psql target -d "$1" -c "COPY (SELECT t::text FROM $2 t) TO STDOUT")
  [ -z "$rows" ] && { echo 0; return; }
  pgc_psql source -d "$SRC" -c "CREATE TEMP TABLE got (r text); COPY got FROM STDIN; SELECT count(*) FROM got WHERE r NOT IN (SELECT t::text FROM $2 t)" <<<"$rows" | tail -1
}

table_digest() {   # table_digest DB TABLE -> count|md5 of its ordered rows
  on_target "$1" "SELECT count(*) || '|' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM ONLY $2 t"
}

count_of() { on_target "$1" "SELECT count(*) FROM $2"; }

# ---------------------------------------------------------------- the source
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
pgc_psql source -d postgres -c "CREATE DATABASE $SRC" >/dev/null
pgc_psql source -d "$SRC" -f "$FIXTURE/pagila-schema.sql" >/dev/null 2>&1 &&
  pgc_psql source -d "$SRC" -f "$FIXTURE/pagila-data.sql" >/dev/null 2>&1
t_ok $? "pagila loaded into the source database $SRC"
pgc_psql source -d "$SRC" -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<'EOF'
-- a chain through a self-reference, a cycle of two tables, a reference into
-- another schema, a nullable reference
CREATE SCHEMA tree;
CREATE TABLE tree.node (id int PRIMARY KEY, parent_id int REFERENCES tree.node, label text);
INSERT INTO tree.node SELECT g, CASE WHEN g > 1 THEN g - 1 END, 'n' || g FROM generate_series(1, 200) g;
CREATE TABLE tree.a (id int PRIMARY KEY, b_id int);
CREATE TABLE tree.b (id int PRIMARY KEY, a_id int REFERENCES tree.a DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE tree.a ADD FOREIGN KEY (b_id) REFERENCES tree.b DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO tree.a SELECT g, g FROM generate_series(1, 50) g;
INSERT INTO tree.b SELECT g, CASE WHEN g < 50 THEN g + 1 ELSE NULL END FROM generate_series(1, 50) g;
COMMIT;
CREATE SCHEMA ref;
CREATE TABLE ref.country (code text PRIMARY KEY, name text);
INSERT INTO ref.country SELECT 'c' || g, 'country ' || g FROM generate_series(1, 30) g;
CREATE TABLE ref.unused (id int);
CREATE SCHEMA shop;
CREATE TABLE shop.client (id int PRIMARY KEY, country text REFERENCES ref.country, email text);
INSERT INTO shop.client SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'c' || (g % 30 + 1) END, 'user' || g || '@example.com'
  FROM generate_series(1, 500) g;
CREATE TABLE shop.orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES shop.client, total numeric);
INSERT INTO shop.orders SELECT g, g % 500 + 1, g * 1.5 FROM generate_series(1, 3000) g;
CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE total > 100;
-- a two-column foreign key (text, date) whose values need quoting in an
-- array literal, and a row whose reference is half NULL (it pairs with none)
CREATE SCHEMA keys;
CREATE TABLE keys.price (sku text, valid_from date, amount numeric, PRIMARY KEY (sku, valid_from));
INSERT INTO keys.price VALUES ('plain', '2024-01-01', 1), ('plain', '2024-02-01', 2),
  ('with "quote"', '2024-01-01', 3), ('back\slash', '2024-01-01', 4), ('comma,brace{}', '2024-01-01', 5),
  ('NULL', '2024-01-01', 6), ('unused', '2024-01-01', 7);
CREATE TABLE keys.line (id int PRIMARY KEY, sku text, valid_from date,
  FOREIGN KEY (sku, valid_from) REFERENCES keys.price);
INSERT INTO keys.line VALUES (1, 'plain', '2024-02-01'), (2, 'with "quote"', '2024-01-01'),
  (3, 'back\slash', '2024-01-01'), (4, 'comma,brace{}', '2024-01-01'), (5, 'NULL', '2024-01-01'), (6, 'unused', NULL);
ANALYZE;
EOF
t_ok $? "schemas tree (self-reference, a <-> b cycle), ref and shop (orders -> client -> ref.country) on the source"
SRC_QL=$(pgc_ql "$(src_conninfo)")
DB_A=${TARGETS[0]} DB_B=${TARGETS[1]} DB_C=${TARGETS[2]} DB_D=${TARGETS[3]}

# ---------------------------------------------------------------- table_sample() on pagila
fresh_target "$DB_A"
res=$(call "$DB_A" "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', 100, '{\"seed\": 7}')")
t_like "$res" '^OK OK: sampled table public\.rental: [0-9]+ tables \([0-9]+ rows\)' "table_sample(rental, 100): $res"
t_is "$(count_of "$DB_A" public.rental)" 100 "exactly 100 rental rows"
t_like "$(check_foreign_keys "$DB_A")" '^checked [1-9][0-9]*$' "every foreign key of the sample holds (dropped and re-added)"
for t in public.rental public.inventory public.customer public.staff public.store public.address public.city public.country public.film public.language; do
  t_is "$(foreign_rows "$DB_A" "$t")" 0 "every row of $t in the sample is a source row, unchanged"
done
t_is "$(on_target "$DB_A" "SELECT count(*) FROM public.inventory WHERE inventory_id NOT IN (SELECT inventory_id FROM public.rental)")" 0 \
  "inventory holds only rows the sampled rentals reference (none extra)"
t_is "$(on_target "$DB_A" "SELECT to_regclass('public.payment') IS NULL")" t \
  "payment (which references rental) is not part of a sample without children"
src_rental=$(on_source "SELECT count(*) FROM public.rental")
stores="$(on_target "$DB_A" "SELECT count(*) FROM public.store") $(on_target "$DB_A" "SELECT count(*) FROM public.staff")"
src_stores="$(on_source "SELECT count(*) FROM public.store") $(on_source "SELECT count(*) FROM public.staff")"
read -r n_store n_staff <<<"$stores"
read -r s_store s_staff <<<"$src_stores"
[ "$n_store" -gt 0 ] && [ "$n_staff" -gt 0 ] && [ "$n_store" -lt "$s_store" ] && [ "$n_staff" -lt "$s_staff" ]
t_ok $? "stores and staff: only those referenced ($n_store and $n_staff of $s_store and $s_staff)"
t_is "$(on_target "$DB_A" "SELECT count(*) FROM public.staff t WHERE NOT EXISTS (SELECT FROM public.store s WHERE s.store_id = t.store_id)")" 0 \
  "every sampled staff member's store is in the sample (staff -> store, reached through rental -> staff)"

# the same seed, the same sample; another seed, another sample
fresh_target "$DB_B"
res=$(call "$DB_B" "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', 100, '{\"seed\": 7}')")
t_like "$res" '^OK OK: sampled table public\.rental' "the same call again into another database: $res"
same=0
for t in public.rental public.inventory public.customer public.address public.film; do
  [ "$(table_digest "$DB_A" "$t")" = "$(table_digest "$DB_B" "$t")" ] || same=1
done
t_ok $same "seed 7 twice: rental, inventory, customer, address and film identical"
fresh_target "$DB_C"
res=$(call "$DB_C" "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', 100, '{\"seed\": 8}')")
t_like "$res" '^OK OK: sampled table public\.rental' "seed 8: $res"
t_is "$(count_of "$DB_C" public.rental)" 100 "seed 8: 100 rental rows too"
[ "$(table_digest "$DB_A" public.rental)" != "$(table_digest "$DB_C" public.rental)" ]
t_ok $? "seed 8 chose other rentals than seed 7"

# ---------------------------------------------------------------- include_children, masks
fresh_target "$DB_D"
res=$(call "$DB_D" "SELECT pgclone.table_sample($SRC_QL, 'public', 'customer', 5, '{\"include_children\": 40, \"masks\": {\"customer\": {\"email\": \"email\"}}}')")
t_like "$res" '^OK OK: sampled table public\.customer' "table_sample(customer, 5, include_children 40, masked e-mail): $res"
t_is "$(count_of "$DB_D" public.customer)" 5 "5 customers (the children's references lead to no other customer)"
n_rental=$(count_of "$DB_D" public.rental)
n_payment=$(count_of "$DB_D" public.payment)
t_is "$n_payment" 40 "payments (a partitioned table, foreign keys on each partition) of those customers and rentals: the limit of 40"
[ "$n_rental" -ge 40 ] && [ "$n_rental" -le 80 ]
t_ok $? "rentals: 40 of those customers, plus those the payments reference ($n_rental)"
t_is "$(on_target "$DB_D" "SELECT count(*) FROM public.rental WHERE customer_id NOT IN (SELECT customer_id FROM public.customer)")" 0 \
  "every rental belongs to a sampled customer"
t_like "$(check_foreign_keys "$DB_D")" '^checked [1-9][0-9]*$' "include_children: every foreign key holds"
t_is "$(on_target "$DB_D" "SELECT count(*) FROM public.customer WHERE email NOT LIKE '_***@%'")" 0 \
  "the masks apply on top of the sample (every e-mail masked)"

# ---------------------------------------------------------------- schema_sample()
fresh_target "$DB_A"
res=$(call "$DB_A" "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"percent\": 10, \"seed\": 3}')")
t_like "$res" '^OK OK: sampled schema public: ' "schema_sample(public, 10 %): $res"
t_like "$(check_foreign_keys "$DB_A")" '^checked [1-9][0-9]*$' "schema_sample: every foreign key holds"
n=$(count_of "$DB_A" public.rental)
# 10 % of them start the sample, and the 10 % of the payments that start it
# bring the rentals they reference: about 19 %.
[ "$n" -gt $((src_rental / 10)) ] && [ "$n" -lt $((src_rental / 4)) ]
t_ok $? "between 10 and 25 % of the rentals ($n of $src_rental)"
t_is "$(foreign_rows "$DB_A" public.payment)" 0 "every sampled payment (in its partitions) is a source row"
t_is "$(on_target "$DB_A" "SELECT count(*) FROM pg_views WHERE schemaname = 'public'")" \
  "$(on_source "SELECT count(*) FROM pg_views WHERE schemaname = 'public'")" "the schema's views are cloned too"

fresh_target "$DB_B"
res=$(call "$DB_B" "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"where\": {\"customer\": \"customer_id <= 3\"}}')")
t_like "$res" '^OK OK: sampled schema public: ' "schema_sample(where customer_id <= 3): $res"
t_is "$(on_target "$DB_B" "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM public.customer")" "1,2,3" \
  "only customers 1, 2 and 3 (no other table starts the sample, none references a customer)"
t_is "$(count_of "$DB_B" public.rental)" 0 "no rentals: they reference customers, customers do not reference them"
t_like "$(check_foreign_keys "$DB_B")" '^checked [1-9][0-9]*$' "where: every foreign key holds"

# per-table rows, across schemas, cycles and self-references
fresh_target "$DB_C"
res=$(call "$DB_C" "SELECT pgclone.schema_sample($SRC_QL, 'shop', '{\"rows\": {\"orders\": 20}, \"seed\": 1}')")
t_like "$res" '^OK OK: sampled schema shop: ' "schema_sample(shop, 20 orders): $res"
t_is "$(count_of "$DB_C" shop.orders)" 20 "20 orders"
t_is "$(on_target "$DB_C" "SELECT count(*) FROM shop.client WHERE id NOT IN (SELECT client_id FROM shop.orders)")" 0 \
  "clients: only those the orders reference"
t_is "$(on_target "$DB_C" "SELECT count(*) = count(DISTINCT code) AND count(*) > 0 FROM ref.country")" t \
  "ref.country, in another schema, was created with the referenced countries"
t_is "$(on_target "$DB_C" "SELECT to_regclass('ref.unused') IS NULL")" t "ref's other table is not part of the sample"
t_like "$(check_foreign_keys "$DB_C")" '^checked [1-9][0-9]*$' "across schemas: every foreign key holds"

fresh_target "$DB_D"
res=$(call "$DB_D" "SELECT pgclone.schema_sample($SRC_QL, 'tree', '{\"where\": {\"node\": \"id = 150\", \"a\": \"id = 10\"}}')")
t_like "$res" '^OK OK: sampled schema tree: ' "schema_sample(tree, node 150 and a 10): $res"
t_is "$(count_of "$DB_D" tree.node)" 150 "node 150 brought its whole chain of parents (150 rows), and the self-reference ended"
t_is "$(count_of "$DB_D" tree.a) $(count_of "$DB_D" tree.b)" "41 41" \
  "a 10 -> b 10 -> a 11 -> ... -> b 50 (whose reference is NULL): the cycle ended"
t_like "$(check_foreign_keys "$DB_D")" '^checked [1-9][0-9]*$' "cycles: every foreign key holds"

# two-column keys looked up by value: exactly the referenced prices
fresh_target "$DB_A"
res=$(call "$DB_A" "SELECT pgclone.schema_sample($SRC_QL, 'keys', '{\"where\": {\"line\": \"true\"}}')")
t_like "$res" '^OK OK: sampled schema keys: ' "schema_sample(keys, every line): $res"
prices="SELECT string_agg(sku || '@' || valid_from, ';' ORDER BY sku, valid_from) FROM keys.price p"
t_is "$(on_target "$DB_A" "$prices")" \
  "$(on_source "$prices WHERE EXISTS (SELECT 1 FROM keys.line l WHERE (l.sku, l.valid_from) = (p.sku, p.valid_from))")" \
  "the prices the lines reference, quotes, backslash, comma, braces and 'NULL' included; none for the half-NULL key"
t_like "$(check_foreign_keys "$DB_A")" '^checked [1-9][0-9]*$' "two-column keys: every foreign key holds"

# "method": "system" takes whole pages, repeatably
for db in "$DB_B" "$DB_C"; do
  fresh_target "$db"
  res=$(call "$db" "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"percent\": {\"rental\": 20}, \"method\": \"system\", \"seed\": 5}')")
  t_like "$res" '^OK OK: sampled schema public: ' "schema_sample(public, 20 % of rental, system) into $db: $res"
done
t_like "$(check_foreign_keys "$DB_B")" '^checked [1-9][0-9]*$' "method system: every foreign key holds"
t_is "$(table_digest "$DB_B" public.rental)" "$(table_digest "$DB_C" public.rental)" "method system, seed 5 twice: the same rentals"
# Whole pages: the rentals come in runs of neighbours (pagila stores them in
# id order); Bernoulli's 20 % would leave about 20 % of them a neighbour.
share=$(on_target "$DB_B" "SELECT round(100.0 * count(*) FILTER (WHERE rental_id + 1 IN (SELECT rental_id FROM public.rental))
                           / nullif(count(*), 0)) FROM public.rental")
[ "${share:-0}" -ge 90 ]
t_ok $? "method system: ${share:-?} % of the sampled rentals have their neighbour in the sample too (whole pages)"

# ---------------------------------------------------------------- errors
fresh_target "$DB_A"
err() { call "$DB_A" "$1"; }
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'no_such', 10)")
t_like "$res" '^ERROR 42P01 source table public\.no_such does not exist' "a missing table: 42P01 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'actor_info', 10)")
t_like "$res" '^ERROR 42809 source relation public\.actor_info is not a table' "a view: 42809 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'nope', 'rental', 10)")
t_like "$res" '^ERROR 3F000 ' "a missing schema: 3F000 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', -1)")
t_like "$res" '^ERROR 22023 rows must not be negative' "negative rows: 22023 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', 10, '{\"rows\": 5}')")
t_like "$res" '^ERROR 22023 option "rows" given twice' "rows twice: 22023 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', NULL)")
t_like "$res" '^ERROR 22023 a sample needs "rows", "percent" or "where"' "no starting rows: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": 5, \"percent\": 3}')")
t_like "$res" '^ERROR 22023 options "rows" and "percent" exclude each other' "rows and percent: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"percent\": 0}')")
t_like "$res" '^ERROR 22023 option "percent" must be a percentage' "percent 0: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": 5, \"sede\": 3}')")
t_like "$res" '^ERROR 22023 unknown option "sede"' "a typo in a key: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": {\"custmer\": 5}}')")
t_like "$res" '^ERROR 22023 sample options name table "custmer", which is not sampled' "a typo in a table name: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": 5, \"consistent\": false}')")
t_like "$res" '^ERROR 22023 option "consistent" does not apply to samples' "consistent=false: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": 5, \"mask\": {}}')")
t_like "$res" '^ERROR 22023 option "mask" does not apply to samples' "mask (not masks): 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"where\": {\"customer\": \"no_such_column = 1\"}}')")
t_like "$res" '^ERROR 42703 ' "a where naming a missing column: the server's 42703 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"percent\": 5, \"method\": \"reservoir\"}')")
t_like "$res" '^ERROR 22023 option "method" must be "bernoulli" or "system"' "an unknown method: 22023 ($res)"
res=$(err "SELECT pgclone.table_sample($SRC_QL, 'public', 'rental', 100000001)")
t_like "$res" '^ERROR 22023 option "rows" must be a number of rows between 0 and 100000000' "rows beyond the bound: 22023 ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"where\": {\"customer\": \"true)) TO ''/tmp/pgclone_pwn'' --\"}}')")
t_like "$res" '^ERROR 22023 ' "a where that tries to end the statement: 22023, refused before the agent runs it ($res)"
res=$(err "SELECT pgclone.schema_sample($SRC_QL, 'public', '{\"rows\": {\"$(printf 'x%.0s' $(seq 1 200))\": 1}}')")
t_like "$res" '^ERROR 22023 option "rows" names a table' "a per-table key longer than any table name: 22023 ($res)"
t_is "$(on_target "$DB_A" "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" 0 \
  "after the errors the target's public schema is still empty"

# ---------------------------------------------------------------- cancel
# A starting set that takes 25 s to choose (pg_sleep per row): the call is
# cancelled while the agent reads the source, and nothing is left.
fresh_target "$DB_B"
PGC_TARGET_DB=$DB_B pgc_bg_start slowsample \
  "SELECT pgclone.schema_sample($SRC_QL, 'shop', '{\"where\": {\"client\": \"pg_sleep(0.05) IS NOT NULL\"}}')"
sleeping() {
  on_source "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(0.05)%'
               AND pid <> pg_backend_pid()"
}
some_sleeping() { [ "$(sleeping)" -ge 1 ]; }
none_sleeping() { [ "$(sleeping)" = 0 ]; }
pgc_wait_until 150 some_sleeping
t_ok $? "the sample is choosing its starting rows on the source"
pgc_bg_cancel_within_second slowsample
t_is "$(on_target "$DB_B" "SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'ref')")" 0 \
  "no schema of the sample left on the target"
pgc_wait_until 50 none_sleeping
t_ok $? "the source query was stopped within 5 s"

for db in "${TARGETS[@]}"; do
  pgc_psql target -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
done
pgc_psql source -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" >/dev/null 2>&1
t_done
