// The resolver of masked clones against catalog definitions: which table and
// column gets which mask (explicit, by "table" or "schema.table", from the
// source's policies, inherited from a parent, carried to foreign keys), and
// every refusal, with its exact message, before anything is changed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mask/table_masks.h"
#include "pg/pg_error.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::IndexDefinition;
using catalog::TableDefinition;
using mask::MaskRequest;
using mask::ResolvedMasks;
using pgclone::protocol::ColumnMasks;
using pgclone::protocol::MaskSpec;
using pgclone::protocol::MaskStrategy;

namespace {

ColumnDefinition col(const std::string& name, const std::string& type, char category, const std::string& base,
                     int char_limit = -1, bool not_null = false) {
  ColumnDefinition c;
  c.name = name;
  c.type = type;
  c.base_category = category;
  c.base_type = base;
  c.char_limit = char_limit;
  c.not_null = not_null;
  return c;
}
ColumnDefinition int_col(const std::string& name, bool not_null = false) {
  return col(name, "integer", 'N', "int4", -1, not_null);
}
ColumnDefinition text_col(const std::string& name, bool not_null = false) {
  return col(name, "text", 'S', "text", -1, not_null);
}

ConstraintDefinition primary_key(const std::string& name, std::vector<std::string> columns) {
  ConstraintDefinition c;
  c.name = name;
  c.type = 'p';
  c.columns = std::move(columns);
  return c;
}

ConstraintDefinition foreign_key(const std::string& name, std::vector<std::string> columns, const std::string& referenced,
                                 std::vector<std::string> referenced_columns) {
  ConstraintDefinition c;
  c.name = name;
  c.type = 'f';
  c.columns = columns;
  c.fk_columns = std::move(columns);
  c.referenced_table = referenced;
  c.referenced_columns = std::move(referenced_columns);
  return c;
}

TableDefinition table(const std::string& schema, const std::string& name, std::vector<ColumnDefinition> columns) {
  TableDefinition t;
  t.schema = schema;
  t.name = name;
  t.columns = std::move(columns);
  return t;
}

// public.customers (id integer PRIMARY KEY, code text UNIQUE, email text, name text NOT NULL)
// public.orders (id, customer_id integer REFERENCES customers(id), note varchar(10), total numeric(10,2))
TableDefinition customers() {
  TableDefinition t = table("public", "customers",
                            {int_col("id", true), text_col("code"), text_col("email"), text_col("name", true)});
  t.constraints.push_back(primary_key("customers_pkey", {"id"}));
  ConstraintDefinition unique = primary_key("customers_code_key", {"code"});
  unique.type = 'u';
  t.constraints.push_back(unique);
  return t;
}
TableDefinition orders() {
  TableDefinition t = table("public", "orders",
                            {int_col("id", true), int_col("customer_id"), col("note", "character varying(10)", 'S', "varchar", 10),
                             col("total", "numeric(10,2)", 'N', "numeric")});
  t.constraints.push_back(primary_key("orders_pkey", {"id"}));
  t.constraints.push_back(foreign_key("orders_customer_id_fkey", {"customer_id"}, "public.customers", {"id"}));
  return t;
}

ColumnMasks masks_of(const std::string& json) {
  return pgclone::protocol::column_masks_from_json(nlohmann::json::parse(json), "mask");
}
MaskSpec spec_of(const std::string& json) {
  return pgclone::protocol::mask_spec_from_json(nlohmann::json::parse(json), "masks");
}

std::vector<const TableDefinition*> pointers(const std::vector<TableDefinition>& tables) {
  std::vector<const TableDefinition*> out;
  for (const auto& t : tables) out.push_back(&t);
  return out;
}

ResolvedMasks resolve_spec(const std::vector<TableDefinition>& tables, const std::string& spec_json) {
  const MaskSpec spec = spec_of(spec_json);
  MaskRequest request;
  request.spec = &spec;
  return mask::resolve_masks(pointers(tables), request);
}

pg::PgError spec_refusal(const std::vector<TableDefinition>& tables, const std::string& spec_json) {
  try {
    resolve_spec(tables, spec_json);
  } catch (const pg::PgError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a refusal for " << spec_json;
  return pg::PgError("", "");
}

pg::PgError table_refusal(const TableDefinition& t, const std::string& mask_json,
                          std::optional<std::vector<std::string>> columns = std::nullopt) {
  const ColumnMasks masks = masks_of(mask_json);
  MaskRequest request;
  request.table_mask = &masks;
  request.table = "public." + t.name;
  request.columns = std::move(columns);
  try {
    mask::resolve_masks({&t}, request);
  } catch (const pg::PgError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a refusal for " << mask_json;
  return pg::PgError("", "");
}

MaskStrategy strategy_at(const ResolvedMasks& r, const std::string& table, const std::string& column) {
  return r.tables.at(table).at(column).strategy;
}

bool has_notice(const ResolvedMasks& r, const std::string& notice) {
  for (const auto& n : r.notices)
    if (n == notice) return true;
  ADD_FAILURE() << "no notice \"" << notice << "\" among " << r.notices.size();
  return false;
}

const std::string kCollide =
    "would make values of a UNIQUE or PRIMARY KEY column collide (only \"hash\" and \"shuffle\" keep them distinct)";

// ---------------------------------------------------------------- table clones

TEST(TableMasks, TableCloneTakesItsMask) {
  const TableDefinition t = customers();
  const ColumnMasks masks = masks_of(R"({"email": "email", "name": "name"})");
  MaskRequest request;
  request.table_mask = &masks;
  request.table = "public.customers";
  const ResolvedMasks r = mask::resolve_masks({&t}, request);
  ASSERT_EQ(r.tables.size(), 1u);
  EXPECT_EQ(strategy_at(r, "public.customers", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.customers", "name"), MaskStrategy::kName);
  EXPECT_TRUE(r.notices.empty());
  ASSERT_NE(r.of("public.customers"), nullptr);
  EXPECT_EQ(r.of("public.customers")->size(), 2u);
  EXPECT_EQ(r.of("public.orders"), nullptr);
}

TEST(TableMasks, NoMaskResolvesToNothing) {
  const TableDefinition t = customers();
  const ColumnMasks none;
  MaskRequest request;
  request.table_mask = &none;
  request.table = "public.customers";
  const ResolvedMasks r = mask::resolve_masks({&t}, request);
  EXPECT_TRUE(r.tables.empty());
  EXPECT_EQ(r.of("public.customers"), nullptr);
}

TEST(TableMasks, UnknownColumnIsNamed) {
  const pg::PgError e = table_refusal(customers(), R"({"mail": "email"})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message, "option \"mask\": column \"mail\" of table public.customers does not exist");
}

TEST(TableMasks, MaskedColumnMustBeAmongTheClonedColumns) {
  const pg::PgError e = table_refusal(customers(), R"({"email": "email"})", std::vector<std::string>{"id", "name"});
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "option \"mask\": column \"email\" of table public.customers is not among the columns cloned (option \"columns\")");
  // Among them: fine.
  const TableDefinition t = customers();
  const ColumnMasks masks = masks_of(R"({"email": "email"})");
  MaskRequest request;
  request.table_mask = &masks;
  request.table = "public.customers";
  request.columns = std::vector<std::string>{"id", "email"};
  EXPECT_EQ(strategy_at(mask::resolve_masks({&t}, request), "public.customers", "email"), MaskStrategy::kEmail);
}

TEST(TableMasks, GeneratedColumnIsRefused) {
  TableDefinition t = customers();
  ColumnDefinition upper = text_col("email_upper");
  upper.generated_expr = "upper(email)";
  t.columns.push_back(upper);
  const pg::PgError e = table_refusal(t, R"({"email_upper": "null"})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"email_upper\" of table public.customers: it is generated from other columns on the target");
  EXPECT_EQ(e.hint, "Mask the columns it is generated from.");
}

TEST(TableMasks, UnfitMaskGivesTheColumnAndTheReason) {
  pg::PgError e = table_refusal(customers(), R"({"id": "email"})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"id\" of table public.customers: mask \"email\" writes text, which a column of type "
            "integer cannot hold");
  e = table_refusal(customers(), R"({"name": "null"})");
  EXPECT_EQ(e.message,
            "cannot mask column \"name\" of table public.customers: mask \"null\" would put NULL into a NOT NULL column");
  e = table_refusal(orders(), R"({"note": "hash"})");
  EXPECT_EQ(e.message,
            "cannot mask column \"note\" of table public.orders: mask \"hash\" writes values of 32 characters, longer than "
            "character varying(10) holds");
}

TEST(TableMasks, CollapsingMaskOnAUniqueKeyIsRefused) {
  pg::PgError e = table_refusal(customers(), R"({"code": "partial"})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message, "cannot mask column \"code\" of table public.customers: mask \"partial\" " + kCollide);
  e = table_refusal(customers(), R"({"id": {"type": "noise", "ratio": 0.1}})");
  EXPECT_EQ(e.message, "cannot mask column \"id\" of table public.customers: mask \"noise\" " + kCollide);
  // A unique index (not a constraint) counts too.
  TableDefinition t = customers();
  IndexDefinition unique_email;
  unique_email.name = "customers_email_idx";
  unique_email.unique = true;
  unique_email.columns = {"email"};
  t.indexes.push_back(unique_email);
  e = table_refusal(t, R"({"email": "email"})");
  EXPECT_EQ(e.message, "cannot mask column \"email\" of table public.customers: mask \"email\" " + kCollide);
  // Hash and shuffle keep keys distinct.
  const ColumnMasks masks = masks_of(R"({"code": "hash", "email": "shuffle"})");
  MaskRequest request;
  request.table_mask = &masks;
  request.table = "public.customers";
  const ResolvedMasks r = mask::resolve_masks({&t}, request);
  EXPECT_EQ(strategy_at(r, "public.customers", "code"), MaskStrategy::kHash);
  EXPECT_EQ(strategy_at(r, "public.customers", "email"), MaskStrategy::kShuffle);
  // A non-unique index does not.
  TableDefinition plain = customers();
  IndexDefinition name_idx;
  name_idx.name = "customers_name_idx";
  name_idx.columns = {"name"};
  plain.indexes.push_back(name_idx);
  const ColumnMasks name_mask = masks_of(R"({"name": "name"})");
  request.table_mask = &name_mask;
  EXPECT_EQ(strategy_at(mask::resolve_masks({&plain}, request), "public.customers", "name"), MaskStrategy::kName);
}

// ---------------------------------------------------------------- schema and database clones

TEST(TableMasks, SpecKeysNameATableOrASchemaTable) {
  std::vector<TableDefinition> tables = {table("a", "t", {text_col("x")}), table("b", "t", {text_col("x")}),
                                         table("b", "u", {text_col("x")})};
  // "t": every table of that name.
  ResolvedMasks r = resolve_spec(tables, R"({"t": {"x": "name"}})");
  EXPECT_EQ(r.tables.size(), 2u);
  EXPECT_EQ(strategy_at(r, "a.t", "x"), MaskStrategy::kName);
  EXPECT_EQ(strategy_at(r, "b.t", "x"), MaskStrategy::kName);
  // "b.t": that one only.
  r = resolve_spec(tables, R"({"b.t": {"x": "hash"}})");
  EXPECT_EQ(r.tables.size(), 1u);
  EXPECT_EQ(strategy_at(r, "b.t", "x"), MaskStrategy::kHash);
  EXPECT_EQ(r.of("a.t"), nullptr);
  // Names that need quoting are matched raw and keyed quoted.
  tables.push_back(table("Sales", "Order Lines", {text_col("x")}));
  r = resolve_spec(tables, R"({"Sales.Order Lines": {"x": "null"}})");
  EXPECT_EQ(strategy_at(r, "\"Sales\".\"Order Lines\"", "x"), MaskStrategy::kNull);
}

TEST(TableMasks, UnknownTableOrColumnInMasksIsNamed) {
  const std::vector<TableDefinition> tables = {customers(), orders()};
  pg::PgError e = spec_refusal(tables, R"({"clients": {"email": "email"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message, "option \"masks\": table \"clients\" is not one of the tables this clone copies");
  EXPECT_EQ(e.hint, "Name a table as \"table\" or \"schema.table\", as the source spells it.");
  e = spec_refusal(tables, R"({"other.customers": {"email": "email"}})");
  EXPECT_EQ(e.message, "option \"masks\": table \"other.customers\" is not one of the tables this clone copies");
  e = spec_refusal(tables, R"({"customers": {"mail": "email"}})");
  EXPECT_EQ(e.message, "option \"masks\": column \"mail\" of table public.customers does not exist");
}

TEST(TableMasks, FromPoliciesTakesTheRecordedMasksUnlessMasksSaySo) {
  const std::vector<TableDefinition> tables = {customers(), orders()};
  const MaskSpec spec = spec_of(R"({"from_policies": true, "orders": {"note": "name"}})");
  MaskRequest request;
  request.spec = &spec;
  request.policies["public.customers"] = masks_of(R"({"email": "email"})");
  request.policies["public.orders"] = masks_of(R"({"note": "null"})");
  request.policies["public.gone"] = masks_of(R"({"x": "null"})");  // not cloned: ignored
  const ResolvedMasks r = mask::resolve_masks(pointers(tables), request);
  EXPECT_EQ(strategy_at(r, "public.customers", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.orders", "note"), MaskStrategy::kName);  // "masks" wins
  EXPECT_EQ(r.tables.size(), 2u);
  EXPECT_TRUE(has_notice(r, "masks of table public.customers taken from the source's masking policy"));
  EXPECT_EQ(r.notices.size(), 1u);
  // Without from_policies the recorded policies are not used.
  const MaskSpec without = spec_of(R"({"orders": {"note": "name"}})");
  request.spec = &without;
  EXPECT_EQ(mask::resolve_masks(pointers(tables), request).of("public.customers"), nullptr);
}

TEST(TableMasks, PolicyMasksAreCheckedLikeAnyOther) {
  const std::vector<TableDefinition> tables = {customers()};
  const MaskSpec spec = spec_of(R"({"from_policies": true})");
  MaskRequest request;
  request.spec = &spec;
  request.policies["public.customers"] = masks_of(R"({"removed_column": "null"})");
  try {
    mask::resolve_masks(pointers(tables), request);
    ADD_FAILURE() << "expected a refusal";
  } catch (const pg::PgError& e) {
    EXPECT_EQ(e.message, "option \"masks\": column \"removed_column\" of table public.customers does not exist");
  }
}

// ---------------------------------------------------------------- hierarchies

TEST(TableMasks, PartitionsTakeTheirParentsMasks) {
  TableDefinition parent = table("public", "events", {int_col("id"), text_col("email")});
  parent.relkind = 'p';
  TableDefinition p1 = table("public", "events_2024", {int_col("id"), text_col("email")});
  p1.partition_parent = "public.events";
  // A sub-partitioned partition: its own partitions take the masks from two levels up.
  TableDefinition p2 = table("public", "events_2025", {int_col("id"), text_col("email")});
  p2.partition_parent = "public.events";
  p2.relkind = 'p';
  TableDefinition p2a = table("public", "events_2025_a", {int_col("id"), text_col("email")});
  p2a.partition_parent = "public.events_2025";
  // One with masks of its own keeps them.
  TableDefinition p3 = table("public", "events_2026", {int_col("id"), text_col("email")});
  p3.partition_parent = "public.events";
  const std::vector<TableDefinition> tables = {parent, p1, p2, p2a, p3};
  const ResolvedMasks r = resolve_spec(tables, R"({"events": {"email": "email"}, "events_2026": {"email": "null"}})");
  EXPECT_EQ(strategy_at(r, "public.events", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.events_2024", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.events_2025", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.events_2025_a", "email"), MaskStrategy::kEmail);
  EXPECT_EQ(strategy_at(r, "public.events_2026", "email"), MaskStrategy::kNull);
  EXPECT_TRUE(has_notice(r, "table public.events_2024 takes the masks of its parent"));
  EXPECT_TRUE(has_notice(r, "table public.events_2025_a takes the masks of its parent"));
  EXPECT_EQ(r.notices.size(), 3u);
}

TEST(TableMasks, InheritanceChildrenTakeTheirParentsMasks) {
  TableDefinition parent = table("public", "people", {int_col("id"), text_col("name")});
  parent.has_children = true;
  TableDefinition child = table("other", "staff", {int_col("id"), text_col("name"), text_col("badge")});
  child.inherits = {"public.people"};
  const ResolvedMasks r = resolve_spec({parent, child}, R"({"people": {"name": "name"}})");
  EXPECT_EQ(strategy_at(r, "other.staff", "name"), MaskStrategy::kName);
  EXPECT_EQ(r.tables.at("other.staff").size(), 1u);
  EXPECT_TRUE(has_notice(r, "table other.staff takes the masks of its parent"));
}

TEST(TableMasks, InheritedMasksAreCheckedOnTheChild) {
  // The child's column is NOT NULL where the parent's is not.
  TableDefinition parent = table("public", "people", {int_col("id"), text_col("name")});
  TableDefinition child = table("public", "staff", {int_col("id"), text_col("name", true)});
  child.inherits = {"public.people"};
  const pg::PgError e = spec_refusal({parent, child}, R"({"people": {"name": "null"}})");
  EXPECT_EQ(e.message, "cannot mask column \"name\" of table public.staff: mask \"null\" would put NULL into a NOT NULL column");
}

// ---------------------------------------------------------------- foreign keys

TEST(TableMasks, DeterministicKeyMaskIsCarriedToItsForeignKeys) {
  TableDefinition c = customers();
  c.columns[0] = text_col("id", true);  // text keys, so hash fits
  TableDefinition o = orders();
  o.columns[1] = text_col("customer_id");
  const ResolvedMasks r = resolve_spec({c, o}, R"({"customers": {"id": "hash"}})");
  EXPECT_EQ(strategy_at(r, "public.customers", "id"), MaskStrategy::kHash);
  EXPECT_EQ(strategy_at(r, "public.orders", "customer_id"), MaskStrategy::kHash);
  EXPECT_TRUE(has_notice(r, "mask \"hash\" of public.customers(id) carried over to column \"customer_id\" of table "
                            "public.orders (foreign key orders_customer_id_fkey)"));
  // The same mask written on the foreign key too is accepted.
  const ResolvedMasks same = resolve_spec({c, o}, R"({"customers": {"id": "hash"}, "orders": {"customer_id": "hash"}})");
  EXPECT_EQ(strategy_at(same, "public.orders", "customer_id"), MaskStrategy::kHash);
}

TEST(TableMasks, CarriedMasksFollowChainsAndSchemas) {
  // a.root(k) <- b.mid(k, FK) ; mid(k) UNIQUE <- c.leaf(mk, FK)
  TableDefinition root = table("a", "root", {text_col("k", true)});
  root.constraints.push_back(primary_key("root_pkey", {"k"}));
  TableDefinition mid = table("b", "mid", {text_col("k", true)});
  mid.constraints.push_back(primary_key("mid_pkey", {"k"}));
  mid.constraints.push_back(foreign_key("mid_k_fkey", {"k"}, "a.root", {"k"}));
  TableDefinition leaf = table("c", "leaf", {int_col("id"), text_col("mk")});
  leaf.constraints.push_back(foreign_key("leaf_mk_fkey", {"mk"}, "b.mid", {"k"}));
  const ResolvedMasks r = resolve_spec({leaf, mid, root}, R"({"a.root": {"k": "hash"}})");
  EXPECT_EQ(strategy_at(r, "b.mid", "k"), MaskStrategy::kHash);
  EXPECT_EQ(strategy_at(r, "c.leaf", "mk"), MaskStrategy::kHash);
}

TEST(TableMasks, SelfReferenceIsCarried) {
  TableDefinition t = table("public", "nodes", {text_col("id", true), text_col("parent")});
  t.constraints.push_back(primary_key("nodes_pkey", {"id"}));
  t.constraints.push_back(foreign_key("nodes_parent_fkey", {"parent"}, "public.nodes", {"id"}));
  const ResolvedMasks r = resolve_spec({t}, R"({"nodes": {"id": "hash"}})");
  EXPECT_EQ(strategy_at(r, "public.nodes", "parent"), MaskStrategy::kHash);
}

TEST(TableMasks, CarriedMaskThatDoesNotFitIsRefused) {
  TableDefinition c = customers();
  c.columns[0] = text_col("id", true);
  TableDefinition o = orders();
  o.columns[1] = col("customer_id", "character varying(10)", 'S', "varchar", 10);
  const pg::PgError e = spec_refusal({c, o}, R"({"customers": {"id": "hash"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders (carried over from public.customers(id)): mask "
            "\"hash\" writes values of 32 characters, longer than character varying(10) holds");
}

TEST(TableMasks, NonDeterministicMaskOnAReferencedKeyIsRefused) {
  const pg::PgError e = spec_refusal({customers(), orders()}, R"({"customers": {"id": "shuffle"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"id\" of table public.customers: mask \"shuffle\" is not deterministic, and foreign key "
            "orders_customer_id_fkey of public.orders references the column");
  EXPECT_EQ(e.hint, "Use \"hash\" on a key that foreign keys reference: it is carried over to them.");
}

TEST(TableMasks, ForeignKeyMaskedDifferentlyFromItsKeyIsRefused) {
  TableDefinition c = customers();
  c.columns[0] = text_col("id", true);
  TableDefinition o = orders();
  o.columns[1] = text_col("customer_id");
  const pg::PgError e = spec_refusal({c, o}, R"({"customers": {"id": "hash"}, "orders": {"customer_id": "name"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders: foreign key orders_customer_id_fkey references "
            "public.customers(id), which is masked differently");
  EXPECT_EQ(e.hint, "Leave the foreign key column out: it takes the mask of the key it references.");
}

TEST(TableMasks, MaskedForeignKeyWithUnmaskedKeyIsRefused) {
  pg::PgError e = spec_refusal({customers(), orders()}, R"({"orders": {"customer_id": {"type": "random_int"}}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders: it is part of foreign key orders_customer_id_fkey, "
            "and public.customers(id) is not masked, so the masked values would not match");
  EXPECT_EQ(e.hint, "Mask the referenced key with \"hash\" in the same clone: its foreign keys take the same mask.");
  // The referenced table is not cloned: nothing could mask its key the same way.
  e = spec_refusal({orders()}, R"({"orders": {"customer_id": {"type": "random_int"}}})");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders: it is part of foreign key orders_customer_id_fkey, "
            "and public.customers(id) is not in this clone, so the masked values would not match");
  // A table clone's "mask" on a foreign key column: the same.
  e = table_refusal(orders(), R"({"customer_id": {"type": "random_int"}})");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders: it is part of foreign key orders_customer_id_fkey, "
            "and public.customers(id) is not in this clone, so the masked values would not match");
}

TEST(TableMasks, CarriedMaskOnAColumnOfASecondForeignKeyIsRefused) {
  // orders.customer_id references customers(id) (masked) and also
  // legacy.accounts(id) (not masked): the carried hash would break the second.
  TableDefinition c = customers();
  c.columns[0] = text_col("id", true);
  TableDefinition legacy = table("legacy", "accounts", {text_col("id", true)});
  legacy.constraints.push_back(primary_key("accounts_pkey", {"id"}));
  TableDefinition o = orders();
  o.columns[1] = text_col("customer_id");
  o.constraints.push_back(foreign_key("orders_legacy_fkey", {"customer_id"}, "legacy.accounts", {"id"}));
  const pg::PgError e = spec_refusal({c, legacy, o}, R"({"customers": {"id": "hash"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message,
            "cannot mask column \"customer_id\" of table public.orders (carried over from public.customers(id)): it is part "
            "of foreign key orders_legacy_fkey, and legacy.accounts(id) is not masked, so the masked values would not match");
  // Both keys hashed: the foreign key column takes the one mask of both.
  const ResolvedMasks r = resolve_spec({c, legacy, o}, R"({"customers": {"id": "hash"}, "legacy.accounts": {"id": "hash"}})");
  EXPECT_EQ(strategy_at(r, "public.orders", "customer_id"), MaskStrategy::kHash);
}

TEST(TableMasks, CompositeForeignKeysAreCarriedColumnByColumn) {
  TableDefinition k = table("public", "k", {text_col("a", true), int_col("b", true)});
  k.constraints.push_back(primary_key("k_pkey", {"a", "b"}));
  TableDefinition r_t = table("public", "r", {text_col("ra"), int_col("rb")});
  r_t.constraints.push_back(foreign_key("r_fkey", {"ra", "rb"}, "public.k", {"a", "b"}));
  const ResolvedMasks r = resolve_spec({k, r_t}, R"({"k": {"a": "hash"}})");
  EXPECT_EQ(strategy_at(r, "public.r", "ra"), MaskStrategy::kHash);
  EXPECT_EQ(r.tables.at("public.r").count("rb"), 0u);
}

TEST(TableMasks, MaskColumnCopiesWhatTheChecksNeed) {
  const ColumnDefinition c = col("code", "public.code_domain", 'S', "bpchar", 8, true);
  const pgclone::protocol::MaskColumn m = mask::mask_column(c);
  EXPECT_EQ(m.name, "code");
  EXPECT_EQ(m.type, "public.code_domain");
  EXPECT_EQ(m.category, 'S');
  EXPECT_EQ(m.base_type, "bpchar");
  EXPECT_EQ(m.char_limit, 8);
  EXPECT_TRUE(m.not_null);
}

}  // namespace
