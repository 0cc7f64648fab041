// Inheritance children whose source column order is not the one CREATE TABLE
// ... INHERITS gives: the order decision and the statements that build them
// in source order (ddl/inherited_column_order, plan_table_ddl with hierarchy).
#include <gtest/gtest.h>

#include "ddl/inherited_column_order.h"
#include "ddl/table_ddl.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::TableDefinition;

namespace {

ColumnDefinition column(const std::string& name, const std::string& type, bool local, int inherit_count) {
  ColumnDefinition c;
  c.name = name;
  c.type = type;
  c.is_local = local;
  c.inherit_count = inherit_count;
  return c;
}

std::vector<const ColumnDefinition*> pointers(const std::vector<ColumnDefinition>& columns) {
  std::vector<const ColumnDefinition*> out;
  for (const auto& c : columns) out.push_back(&c);
  return out;
}

ddl::TableDdlOptions hierarchy() {
  ddl::TableDdlOptions o;
  o.hierarchy = true;
  return o;
}

// regression's b_star: a_star (class, a) got a1 by ALTER TABLE ADD COLUMN
// after b_star (b) INHERITS (a_star) existed.
TableDefinition b_star() {
  TableDefinition t;
  t.schema = "public";
  t.name = "b_star";
  t.inherits = {"public.a_star"};
  t.parent_columns = {"class", "a", "a1"};
  ColumnDefinition a1 = column("a1", "integer", false, 1);
  a1.default_expr = "7";
  a1.not_null = true;
  t.columns = {column("class", "\"char\"", false, 1), column("a", "integer", false, 1), column("b", "text", true, 0), a1};
  ConstraintDefinition inherited;
  inherited.name = "a_star_a_check";
  inherited.definition = "CHECK ((a > 0))";
  inherited.is_local = false;
  inherited.inherit_count = 1;
  ConstraintDefinition own;
  own.name = "b_star_b_check";
  own.definition = "CHECK ((b <> ''::text))";
  t.constraints = {inherited, own};
  return t;
}

}  // namespace

TEST(InheritedColumnOrder, ParentsFirstOnceEachThenTheChildsOwn) {
  std::vector<ColumnDefinition> cols = {column("x", "int", true, 0), column("b", "int", true, 1),
                                        column("a", "int", false, 2), column("c", "int", false, 1)};
  // Multiple inheritance: "a" is in both parents and comes once, where the first has it.
  EXPECT_EQ(ddl::inherits_column_order({"a", "b", "c", "a"}, pointers(cols)),
            (std::vector<std::string>{"a", "b", "c", "x"}));
  EXPECT_FALSE(ddl::inherits_keeps_column_order({"a", "b", "c", "a"}, pointers(cols)));
  std::vector<ColumnDefinition> in_order = {cols[2], cols[1], cols[3], cols[0]};
  EXPECT_TRUE(ddl::inherits_keeps_column_order({"a", "b", "c", "a"}, pointers(in_order)));
}

TEST(InheritedColumnOrder, ChildInInheritsOrderKeepsTheInheritsForm) {
  TableDefinition t = b_star();
  t.parent_columns = {"class", "a"};
  t.columns.pop_back();
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  ASSERT_EQ(plan.pre_data.size(), 1u);
  EXPECT_EQ(plan.pre_data[0],
            "CREATE TABLE public.b_star (\n    b text,\n    CONSTRAINT b_star_b_check CHECK ((b <> ''::text))\n)\n"
            "INHERITS (public.a_star)");
}

TEST(InheritedColumnOrder, ColumnAddedToTheParentLaterComesAfterTheChildsOwn) {
  TableDefinition t = b_star();
  t.unlogged = true;
  t.reloptions = {{"fillfactor", "80"}};
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data,
            (std::vector<std::string>{
                "CREATE TABLE public.pgclone_order_b_star ()",
                "CREATE UNLOGGED TABLE public.b_star ()\nINHERITS (public.pgclone_order_b_star) WITH (fillfactor='80')",
                "ALTER TABLE public.pgclone_order_b_star ADD COLUMN class \"char\"",
                "ALTER TABLE public.pgclone_order_b_star ADD COLUMN a integer",
                "ALTER TABLE ONLY public.b_star ADD COLUMN b text",
                "ALTER TABLE public.pgclone_order_b_star ADD COLUMN a1 integer",
                "ALTER TABLE ONLY public.b_star ALTER COLUMN a1 SET DEFAULT 7",
                "ALTER TABLE ONLY public.b_star ALTER COLUMN a1 SET NOT NULL",
                "ALTER TABLE ONLY public.b_star ADD CONSTRAINT b_star_b_check CHECK ((b <> ''::text))",
                "ALTER TABLE public.pgclone_order_b_star ADD CONSTRAINT a_star_a_check CHECK ((a > 0))",
                "ALTER TABLE ONLY public.b_star INHERIT public.a_star",
                "ALTER TABLE ONLY public.b_star NO INHERIT public.pgclone_order_b_star",
                "DROP TABLE public.pgclone_order_b_star"}));
  EXPECT_EQ(plan.source_copy_select, "SELECT class, a, b, a1 FROM public.b_star");
}

// regression's test_type_diff2_c1: a table of its own joined its parents with
// ALTER TABLE ... INHERIT, so its columns are local and in its own order.
TEST(InheritedColumnOrder, TableThatJoinedItsParentsLaterKeepsItsOrderAndLocalColumns) {
  TableDefinition t;
  t.schema = "public";
  t.name = "c1";
  t.inherits = {"public.p1", "public.p2"};
  t.parent_columns = {"int_two", "int_four", "int_eight"};
  ColumnDefinition g = column("g", "integer", true, 1);
  g.generated_expr = "(int_four * 2)";
  g.inherited_generated = true;
  ColumnDefinition four = column("int_four", "integer", true, 1);
  four.collation = "pg_catalog.\"C\"";
  t.columns = {four, column("int_eight", "bigint", true, 1), column("int_two", "smallint", true, 1), g};
  ConstraintDefinition inherited;
  inherited.name = "p1_check";
  inherited.definition = "CHECK ((int_two > 0))";
  inherited.is_local = false;
  // A parent's NOT VALID CHECK is added to the parent after the data and
  // reaches the child from there, as with INHERITS.
  ConstraintDefinition not_valid;
  not_valid.name = "p2_check";
  not_valid.definition = "CHECK ((int_four > 0)) NOT VALID";
  not_valid.validated = false;
  not_valid.is_local = false;
  t.constraints = {inherited, not_valid};
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data,
            (std::vector<std::string>{
                "CREATE TABLE public.pgclone_order_c1 ()",
                "CREATE TABLE public.c1 (\n    int_four integer COLLATE pg_catalog.\"C\",\n    int_eight bigint,\n"
                "    int_two smallint,\n    g integer GENERATED ALWAYS AS ((int_four * 2)) STORED\n)\n"
                "INHERITS (public.pgclone_order_c1)",
                // The inherited CHECK needs its columns on the helper: they merge into the child's.
                "ALTER TABLE public.pgclone_order_c1 ADD COLUMN int_four integer COLLATE pg_catalog.\"C\"",
                "ALTER TABLE public.pgclone_order_c1 ADD COLUMN int_eight bigint",
                "ALTER TABLE public.pgclone_order_c1 ADD COLUMN int_two smallint",
                "ALTER TABLE public.pgclone_order_c1 ADD CONSTRAINT p1_check CHECK ((int_two > 0))",
                "ALTER TABLE ONLY public.c1 INHERIT public.p1",
                "ALTER TABLE ONLY public.c1 INHERIT public.p2",
                "ALTER TABLE ONLY public.c1 NO INHERIT public.pgclone_order_c1",
                "DROP TABLE public.pgclone_order_c1"}));
  EXPECT_TRUE(plan.post_data.empty());
}

TEST(InheritedColumnOrder, HelperNameAvoidsTakenNames) {
  auto options = hierarchy();
  options.target_table = "b2";
  options.taken_relation_names = {"pgclone_order_b2"};
  auto plan = ddl::plan_table_ddl(b_star(), options);
  EXPECT_EQ(plan.pre_data[0], "CREATE TABLE public.pgclone_order_b21 ()");
}

TEST(InheritedColumnOrder, InheritedGeneratedColumnOutOfOrderKeepsTheInheritsFormWithANotice) {
  TableDefinition t = b_star();
  t.columns[3].generated_expr = "(a * 2)";
  t.columns[3].inherited_generated = true;
  t.columns[3].default_expr.reset();
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data[0].rfind("CREATE TABLE public.b_star (\n    b text,", 0), 0u) << plan.pre_data[0];
  ASSERT_FALSE(plan.notices.empty());
  EXPECT_EQ(plan.notices.back(),
            "columns of \"public.b_star\" get the order CREATE TABLE ... INHERITS gives, not the source's: its parents "
            "give it the generated column \"a1\"");
}

TEST(InheritedColumnOrder, ForeignChildOutOfOrderKeepsTheInheritsFormWithANotice) {
  TableDefinition t = b_star();
  t.relkind = 'f';
  t.foreign_server = "files";
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  EXPECT_EQ(plan.pre_data[0].rfind("CREATE FOREIGN TABLE public.b_star (\n    b text,", 0), 0u) << plan.pre_data[0];
  ASSERT_FALSE(plan.notices.empty());
  EXPECT_EQ(plan.notices.back(),
            "columns of \"public.b_star\" get the order CREATE TABLE ... INHERITS gives, not the source's: it is a "
            "foreign table");
}

TEST(InheritedColumnOrder, PartitionIsNotAnInheritanceChild) {
  TableDefinition t = b_star();
  t.inherits.clear();
  t.partition_parent = "public.a_star";
  t.partition_bound = "DEFAULT";
  auto plan = ddl::plan_table_ddl(t, hierarchy());
  ASSERT_EQ(plan.pre_data.size(), 2u);
  EXPECT_EQ(plan.pre_data[1], "ALTER TABLE ONLY public.a_star ATTACH PARTITION public.b_star DEFAULT");
}
