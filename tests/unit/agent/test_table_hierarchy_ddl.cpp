// plan_table_ddl with hierarchy = true (schema and database clones):
// partitioned tables, partitions, inheritance children; and how
// add_table_steps / link_table_steps turn them into plan steps.
#include <gtest/gtest.h>

#include <algorithm>

#include "ddl/table_ddl.h"
#include "plan/dependency_order.h"
#include "plan/table_steps.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::IndexDefinition;
using catalog::TableDefinition;
using catalog::TriggerDefinition;

namespace {

ColumnDefinition column(const std::string& name, const std::string& type, bool local = true) {
  ColumnDefinition c;
  c.name = name;
  c.type = type;
  c.not_null = true;
  c.is_local = local;
  c.inherit_count = local ? 0 : 1;
  return c;
}

TableDefinition orders() {
  TableDefinition t;
  t.oid = "100";
  t.schema = "sales";
  t.name = "orders";
  t.relkind = 'p';
  t.partition_key = "RANGE (ordered_at)";
  t.columns = {column("id", "bigint"), column("ordered_at", "date"), column("customer_id", "bigint")};
  ConstraintDefinition check;
  check.name = "orders_id_check";
  check.type = 'c';
  check.definition = "CHECK ((id > 0))";
  ConstraintDefinition pk;
  pk.name = "orders_pkey";
  pk.type = 'p';
  pk.definition = "PRIMARY KEY (id, ordered_at)";
  pk.index_name = "orders_pkey";
  ConstraintDefinition fk;
  fk.name = "orders_customer_fkey";
  fk.type = 'f';
  fk.definition = "FOREIGN KEY (customer_id) REFERENCES sales.customers(id)";
  fk.referenced_table = "sales.customers";
  fk.referenced_index = "sales.customers_pkey";
  t.constraints = {pk, check, fk};
  IndexDefinition idx;
  idx.name = "orders_customer_idx";
  idx.definition = "CREATE INDEX orders_customer_idx ON ONLY sales.orders USING btree (customer_id)";
  t.indexes = {idx};
  TriggerDefinition trg;
  trg.name = "orders_audit";
  trg.type = 1 | 4;  // ROW, INSERT
  trg.definition = "CREATE TRIGGER orders_audit AFTER INSERT ON sales.orders FOR EACH ROW EXECUTE FUNCTION sales.audit()";
  t.triggers = {trg};
  return t;
}

TableDefinition orders_2023() {
  TableDefinition t = orders();
  t.oid = "101";
  t.name = "orders_2023";
  t.relkind = 'r';
  t.partition_key.clear();
  t.partition_parent = "sales.orders";
  t.partition_bound = "FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')";
  for (auto& c : t.columns) c.is_local = false;
  for (auto& c : t.constraints) {
    if (c.type == 'c') c.is_local = false;
    if (c.type == 'p') {
      c.name = c.index_name.emplace("orders_2023_pkey");
      c.parent_index = "sales.orders_pkey";
    }
    if (c.type == 'f') c.from_parent = true;
  }
  t.indexes[0].name = "orders_2023_customer_id_idx";
  t.indexes[0].definition =
      "CREATE INDEX orders_2023_customer_id_idx ON sales.orders_2023 USING btree (customer_id)";
  t.indexes[0].parent_index = "sales.orders_customer_idx";
  t.triggers[0].from_parent = true;
  t.triggers[0].definition =
      "CREATE TRIGGER orders_audit AFTER INSERT ON sales.orders_2023 FOR EACH ROW EXECUTE FUNCTION sales.audit()";
  return t;
}

TableDefinition customers() {
  TableDefinition t;
  t.oid = "99";
  t.schema = "sales";
  t.name = "customers";
  t.columns = {column("id", "bigint")};
  ConstraintDefinition pk;
  pk.name = "customers_pkey";
  pk.type = 'p';
  pk.definition = "PRIMARY KEY (id)";
  pk.index_name = "customers_pkey";
  t.constraints = {pk};
  return t;
}

ddl::TableDdlOptions hierarchy() {
  ddl::TableDdlOptions o;
  o.hierarchy = true;
  return o;
}

const plan::Step* find(const std::vector<plan::Step>& steps, const std::string& id) {
  for (const auto& s : steps)
    if (s.id == id) return &s;
  return nullptr;
}

bool depends(const plan::Step* s, const std::string& on) {
  return s && std::find(s->depends_on.begin(), s->depends_on.end(), on) != s->depends_on.end();
}

}  // namespace

TEST(HierarchyDdl, PartitionedTable) {
  auto plan = ddl::plan_table_ddl(orders(), hierarchy());
  EXPECT_EQ(plan.pre_data[0],
            "CREATE TABLE sales.orders (\n    id bigint NOT NULL,\n    ordered_at date NOT NULL,\n"
            "    customer_id bigint NOT NULL,\n    CONSTRAINT orders_id_check CHECK ((id > 0))\n)\n"
            "PARTITION BY RANGE (ordered_at)");
  // ONLY would keep the foreign key off the partitions, and the server refuses it.
  EXPECT_NE(std::find(plan.post_data.begin(), plan.post_data.end(),
                      "ALTER TABLE sales.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) "
                      "REFERENCES sales.customers(id)"),
            plan.post_data.end());
  EXPECT_EQ(plan.post_items[0].kind, ddl::PostKind::kConstraint);
  EXPECT_EQ(plan.post_items[0].statement, "ALTER TABLE ONLY sales.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, ordered_at)");
  EXPECT_EQ(plan.post_items[1].statement, "CREATE INDEX orders_customer_idx ON ONLY sales.orders USING btree (customer_id)");
}

TEST(HierarchyDdl, PartitionIsCreatedThenAttachedWithTheParentsChecks) {
  auto plan = ddl::plan_table_ddl(orders_2023(), hierarchy());
  ASSERT_EQ(plan.pre_data.size(), 2u);
  EXPECT_EQ(plan.pre_data[0], "CREATE TABLE sales.orders_2023 (\n    id bigint NOT NULL,\n    ordered_at date NOT NULL,\n"
                              "    customer_id bigint NOT NULL,\n    CONSTRAINT orders_id_check CHECK ((id > 0))\n)");
  EXPECT_EQ(plan.pre_data[1], "ALTER TABLE ONLY sales.orders ATTACH PARTITION sales.orders_2023 FOR VALUES FROM "
                              "('2023-01-01') TO ('2024-01-01')");
  // The FK and the trigger come from the parent's.
  EXPECT_EQ(plan.post_data, (std::vector<std::string>{
                                "ALTER TABLE ONLY sales.orders_2023 ADD CONSTRAINT orders_2023_pkey PRIMARY KEY (id, ordered_at)",
                                "CREATE INDEX orders_2023_customer_id_idx ON sales.orders_2023 USING btree (customer_id)"}));
  EXPECT_EQ(plan.source_copy_select, "SELECT id, ordered_at, customer_id FROM sales.orders_2023");
}

TEST(HierarchyDdl, WithoutHierarchyAPartitionIsStandalone) {
  auto plan = ddl::plan_table_ddl(orders_2023(), ddl::TableDdlOptions{});
  EXPECT_EQ(plan.pre_data.size(), 1u);
  EXPECT_EQ(plan.post_data.size(), 4u);  // PK, index, FK, trigger
}

TEST(HierarchyDdl, InheritanceChildKeepsOnlyLocalColumnsAndFixesInheritedOnes) {
  TableDefinition t;
  t.schema = "sales";
  t.name = "click_events";
  t.inherits = {"sales.events"};
  ColumnDefinition id = column("id", "integer", false);
  ColumnDefinition at = column("at", "timestamp with time zone", false);
  at.default_expr = "'2024-07-01 00:00:00+00'::timestamp with time zone";
  at.inherited_default = "'2024-06-01 00:00:00+00'::timestamp with time zone";
  at.inherited_not_null = true;
  ColumnDefinition payload = column("payload", "text");
  payload.not_null = false;
  payload.inherit_count = 1;
  payload.default_expr = "'click'::text";
  ColumnDefinition note = column("note", "text", false);  // NOT NULL on the child only
  note.inherited_default = "'n'::text";
  ColumnDefinition url = column("url", "text");
  t.columns = {id, at, payload, note, url};
  ConstraintDefinition inherited_check;
  inherited_check.name = "events_id_check";
  inherited_check.definition = "CHECK ((id > 0))";
  inherited_check.is_local = false;
  ConstraintDefinition own_check;
  own_check.name = "click_events_url_check";
  own_check.definition = "CHECK ((url ~~ 'http%'::text))";
  t.constraints = {inherited_check, own_check};
  t.has_children = true;
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data,
            (std::vector<std::string>{
                "CREATE TABLE sales.click_events (\n    payload text DEFAULT 'click'::text,\n    url text NOT NULL,\n"
                "    CONSTRAINT click_events_url_check CHECK ((url ~~ 'http%'::text))\n)\nINHERITS (sales.events)",
                "ALTER TABLE ONLY sales.click_events ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE ONLY sales.click_events ALTER COLUMN at SET DEFAULT '2024-07-01 00:00:00+00'::timestamp "
                "with time zone",
                "ALTER TABLE ONLY sales.click_events ALTER COLUMN note DROP DEFAULT",
                "ALTER TABLE ONLY sales.click_events ALTER COLUMN note SET NOT NULL"}));
  // Its children are loaded on their own.
  EXPECT_EQ(plan.source_copy_select, "SELECT id, at, payload, note, url FROM ONLY sales.click_events");
}

TEST(TableSteps, PartitionTreeForeignKeysAndSections) {
  plan::PlanBuilder b;
  std::vector<TableDefinition> tables = {customers(), orders(), orders_2023()};
  for (const auto& t : tables) plan::add_table_steps(b, t, plan::TableStepOptions{}, plan::TableSecurity{});
  plan::link_table_steps(b, tables);
  auto steps = plan::order_steps(b.steps);

  const auto* parent = find(steps, "table:sales.orders");
  const auto* part = find(steps, "table:sales.orders_2023");
  ASSERT_TRUE(parent && part);
  EXPECT_TRUE(depends(part, "table:sales.orders"));
  // A partitioned table has no load to ride on: its facets are post-data.
  const auto* parent_pk = find(steps, "constraint:sales.orders.orders_pkey");
  ASSERT_TRUE(parent_pk);
  EXPECT_EQ(parent_pk->section, plan::Section::kPostData);
  const auto* part_pk = find(steps, "constraint:sales.orders_2023.orders_2023_pkey");
  ASSERT_TRUE(part_pk);
  EXPECT_EQ(part_pk->section, plan::Section::kTablePost);
  EXPECT_EQ(part_pk->table_id, "table:sales.orders_2023");
  const auto* attach = find(steps, "index_attach:sales.orders_2023_pkey");
  ASSERT_TRUE(attach);
  EXPECT_EQ(attach->statements, (std::vector<std::string>{"ALTER INDEX sales.orders_pkey ATTACH PARTITION sales.orders_2023_pkey"}));
  EXPECT_TRUE(depends(attach, "constraint:sales.orders.orders_pkey"));
  EXPECT_TRUE(depends(attach, "constraint:sales.orders_2023.orders_2023_pkey"));
  EXPECT_TRUE(find(steps, "index_attach:sales.orders_2023_customer_id_idx"));
  // FK: post-data, after both tables and the referenced key.
  const auto* fk = find(steps, "fk:sales.orders.orders_customer_fkey");
  ASSERT_TRUE(fk);
  EXPECT_EQ(fk->section, plan::Section::kPostData);
  EXPECT_TRUE(depends(fk, "table:sales.customers"));
  EXPECT_TRUE(depends(fk, "constraint:sales.customers.customers_pkey"));
  EXPECT_FALSE(find(steps, "fk:sales.orders_2023.orders_customer_fkey"));
  EXPECT_FALSE(find(steps, "trigger:sales.orders_2023.orders_audit"));
  // Tasks: the parent carries no copy.
  ASSERT_EQ(b.tables.size(), 3u);
  EXPECT_TRUE(b.tables[1].partitioned_parent);
  EXPECT_TRUE(b.tables[1].source_copy_select.empty());
  EXPECT_FALSE(b.tables[2].partitioned_parent);
}

TEST(TableSteps, ForeignKeyToATableOutsideTheCloneIsKeptAndNoted) {
  plan::PlanBuilder b;
  std::vector<TableDefinition> tables = {orders()};
  plan::add_table_steps(b, tables[0], plan::TableStepOptions{}, plan::TableSecurity{});
  plan::link_table_steps(b, tables);
  EXPECT_TRUE(b.has("fk:sales.orders.orders_customer_fkey"));
  ASSERT_FALSE(b.notices.empty());
  EXPECT_NE(b.notices.back().find("sales.customers, which is not in the clone"), std::string::npos) << b.notices.back();
}

TEST(TableSteps, ForeignKeyWhoseKeyIsNotClonedIsLeftOut) {
  plan::PlanBuilder b;
  TableDefinition c = customers();
  TableDefinition o = orders();
  o.constraints[2].referenced_index = "sales.customers_email_key";  // a unique index, with indexes off
  std::vector<TableDefinition> tables = {c, o};
  plan::TableStepOptions no_indexes;
  no_indexes.indexes = false;
  for (const auto& t : tables) plan::add_table_steps(b, t, no_indexes, plan::TableSecurity{});
  plan::link_table_steps(b, tables);
  EXPECT_FALSE(b.has("fk:sales.orders.orders_customer_fkey"));
  ASSERT_FALSE(b.notices.empty());
  EXPECT_NE(b.notices.back().find("left out: the key it references (sales.customers_email_key) is not cloned"),
            std::string::npos)
      << b.notices.back();
  EXPECT_FALSE(b.has("index:sales.orders_customer_idx"));
}

namespace {

TableDefinition plain_orders() {
  TableDefinition t = orders();
  t.relkind = 'r';
  t.partition_key.clear();
  return t;
}

const plan::Step* step(plan::PlanBuilder& b, const std::string& id) { return b.find(id); }

}  // namespace

TEST(TableSteps, ValidForeignKeyIsAddedNotValidThenValidatedByItsOwnStep) {
  plan::PlanBuilder b;
  std::vector<TableDefinition> tables = {customers(), plain_orders()};
  for (const auto& t : tables) plan::add_table_steps(b, t, plan::TableStepOptions{}, plan::TableSecurity{});
  plan::link_table_steps(b, tables);
  const plan::Step* fk = step(b, "fk:sales.orders.orders_customer_fkey");
  const plan::Step* validate = step(b, "fk_validate:sales.orders.orders_customer_fkey");
  ASSERT_NE(fk, nullptr);
  ASSERT_NE(validate, nullptr);
  EXPECT_EQ(fk->statements.front(),
            "ALTER TABLE ONLY sales.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) "
            "REFERENCES sales.customers(id) NOT VALID");
  EXPECT_EQ(validate->kind, "fk_validate");
  EXPECT_EQ(validate->section, plan::Section::kPostData);
  EXPECT_EQ(validate->statements,
            std::vector<std::string>{"ALTER TABLE ONLY sales.orders VALIDATE CONSTRAINT orders_customer_fkey"});
  EXPECT_EQ(validate->depends_on, std::vector<std::string>{fk->id});
}

TEST(TableSteps, ForeignKeyNotValidOnTheSourceOrOnAPartitionedTableHasNoValidationStep) {
  plan::PlanBuilder b;
  TableDefinition o = plain_orders();
  o.constraints[2].validated = false;
  o.constraints[2].definition += " NOT VALID";
  plan::add_table_steps(b, o, plan::TableStepOptions{}, plan::TableSecurity{});
  EXPECT_FALSE(b.has("fk_validate:sales.orders.orders_customer_fkey"));
  EXPECT_EQ(step(b, "fk:sales.orders.orders_customer_fkey")->statements.front().find("NOT VALID NOT VALID"),
            std::string::npos);

  plan::PlanBuilder partitioned;
  plan::add_table_steps(partitioned, orders(), plan::TableStepOptions{}, plan::TableSecurity{});
  EXPECT_TRUE(partitioned.has("fk:sales.orders.orders_customer_fkey"));
  EXPECT_FALSE(partitioned.has("fk_validate:sales.orders.orders_customer_fkey"));
}

TEST(TableSteps, ForeignKeyLeftOutTakesItsValidationAlong) {
  plan::PlanBuilder b;
  TableDefinition o = plain_orders();
  o.constraints[2].referenced_index = "sales.customers_email_key";
  std::vector<TableDefinition> tables = {customers(), o};
  plan::TableStepOptions no_indexes;
  no_indexes.indexes = false;
  for (const auto& t : tables) plan::add_table_steps(b, t, no_indexes, plan::TableSecurity{});
  plan::link_table_steps(b, tables);
  EXPECT_FALSE(b.has("fk:sales.orders.orders_customer_fkey"));
  EXPECT_FALSE(b.has("fk_validate:sales.orders.orders_customer_fkey"));
}
