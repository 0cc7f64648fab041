#include <gtest/gtest.h>

#include <algorithm>

#include "ddl/definition_text.h"
#include "ddl/table_ddl.h"
#include "pg/pg_error.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::IndexDefinition;
using catalog::SequenceDefinition;
using catalog::TableDefinition;
using catalog::TriggerDefinition;
using ddl::TableDdlOptions;

namespace {

// What read_table_definition returns for:
//   CREATE TABLE public.t (
//     id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2 CACHE 5),
//     s integer NOT NULL DEFAULT nextval('public.t_s_seq'::regclass),   -- serial
//     name text COLLATE "C" NOT NULL DEFAULT 'x'::text,
//     qty numeric(10,2),
//     total numeric GENERATED ALWAYS AS (qty * 2) STORED,
//     moods public.mood[],
//     parent bigint,
//     CONSTRAINT t_pkey PRIMARY KEY (id), CONSTRAINT t_qty_check CHECK (qty > 0),
//     CONSTRAINT t_parent_fkey FOREIGN KEY (parent) REFERENCES public.t(id));
//   CREATE INDEX t_name_idx ON t (name); CREATE INDEX qty_idx ON t (qty) WHERE qty > 1;
//   CREATE TRIGGER trg BEFORE UPDATE OF name, qty ON t ... ; DISABLE TRIGGER trg;
TableDefinition sample() {
  TableDefinition d;
  d.schema = "public";
  d.name = "t";
  d.comment = "it's a table";

  ColumnDefinition id;
  id.attnum = 1;
  id.name = "id";
  id.type = "bigint";
  id.not_null = true;
  id.identity = 'a';
  SequenceDefinition idseq;
  idseq.schema = "public";
  idseq.name = "t_id_seq";
  idseq.type = "bigint";
  idseq.start = 10;
  idseq.increment = 2;
  idseq.min_value = 1;
  idseq.max_value = 9223372036854775807LL;
  idseq.cache = 5;
  idseq.last_value = 14;
  idseq.is_called = true;
  idseq.owner_column = "id";
  id.identity_sequence = idseq;
  d.columns.push_back(id);

  ColumnDefinition s;
  s.attnum = 2;
  s.name = "s";
  s.type = "integer";
  s.not_null = true;
  s.default_expr = "nextval('public.t_s_seq'::regclass)";
  d.columns.push_back(s);

  ColumnDefinition name;
  name.attnum = 3;
  name.name = "name";
  name.type = "text";
  name.not_null = true;
  name.default_expr = "'x'::text";
  name.collation = "pg_catalog.\"C\"";
  name.comment = "the name";
  name.statistics_target = 500;
  d.columns.push_back(name);

  ColumnDefinition qty;
  qty.attnum = 4;
  qty.name = "qty";
  qty.type = "numeric(10,2)";
  qty.storage = 'm';
  qty.options = {{"n_distinct", "100"}};
  d.columns.push_back(qty);

  ColumnDefinition total;
  total.attnum = 5;
  total.name = "total";
  total.type = "numeric";
  total.generated_expr = "(qty * (2)::numeric)";
  total.generated_depends_on = {"qty"};
  d.columns.push_back(total);

  ColumnDefinition moods;
  moods.attnum = 6;
  moods.name = "moods";
  moods.type = "public.mood[]";
  moods.binary_copy_safe = false;
  d.columns.push_back(moods);

  ColumnDefinition parent;
  parent.attnum = 7;
  parent.name = "parent";
  parent.type = "bigint";
  d.columns.push_back(parent);

  SequenceDefinition sseq;
  sseq.schema = "public";
  sseq.name = "t_s_seq";
  sseq.type = "integer";
  sseq.max_value = 2147483647;
  sseq.last_value = 3;
  sseq.is_called = true;
  sseq.owner_column = "s";
  d.owned_sequences.push_back(sseq);

  ConstraintDefinition pk;
  pk.name = "t_pkey";
  pk.type = 'p';
  pk.definition = "PRIMARY KEY (id)";
  pk.columns = {"id"};
  pk.index_name = "t_pkey";
  pk.comment = "pk";
  pk.index_options = {{"fillfactor", "80"}};
  d.constraints.push_back(pk);

  ConstraintDefinition fk;
  fk.name = "t_parent_fkey";
  fk.type = 'f';
  fk.definition = "FOREIGN KEY (parent) REFERENCES public.t(id) ON DELETE CASCADE";
  fk.columns = {"id", "parent"};
  fk.fk_columns = {"parent"};
  fk.referenced_table = "public.t";
  fk.referenced_columns = {"id"};
  fk.self_reference = true;
  d.constraints.push_back(fk);

  ConstraintDefinition check;
  check.name = "t_qty_check";
  check.type = 'c';
  check.definition = "CHECK ((qty > (0)::numeric))";
  check.columns = {"qty"};
  d.constraints.push_back(check);

  IndexDefinition qty_idx;
  qty_idx.name = "qty_idx";
  qty_idx.definition = "CREATE INDEX qty_idx ON public.t USING btree (qty) WHERE (qty > (1)::numeric)";
  qty_idx.columns = {"qty"};
  qty_idx.clustered = true;
  d.indexes.push_back(qty_idx);

  IndexDefinition name_idx;
  name_idx.name = "t_name_idx";
  name_idx.definition = "CREATE INDEX t_name_idx ON public.t USING btree (name)";
  name_idx.columns = {"name"};
  name_idx.comment = "by name";
  name_idx.statistics = {{1, 200}};
  d.indexes.push_back(name_idx);

  TriggerDefinition trg;
  trg.name = "trg";
  trg.definition =
      "CREATE TRIGGER trg BEFORE UPDATE OF name, qty ON public.t FOR EACH ROW EXECUTE FUNCTION public.f()";
  trg.type = 1 | 2 | 16;  // ROW | BEFORE | UPDATE
  trg.enabled = 'D';
  trg.update_columns = {"name", "qty"};
  trg.columns = {"name", "qty"};
  d.triggers.push_back(trg);
  return d;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST(PlanTableDdl, SameNameProducesExactStatements) {
  TableDdlOptions opts;
  auto plan = ddl::plan_table_ddl(sample(), opts);
  std::vector<std::string> pre = {
      "CREATE SEQUENCE public.t_s_seq AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 "
      "NO CYCLE",
      "CREATE TABLE public.t (\n"
      "    id bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 10 INCREMENT BY 2 "
      "MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 5 NO CYCLE) NOT NULL,\n"
      "    s integer DEFAULT nextval('public.t_s_seq'::regclass) NOT NULL,\n"
      "    name text COLLATE pg_catalog.\"C\" DEFAULT 'x'::text NOT NULL,\n"
      "    qty numeric(10,2),\n"
      "    total numeric GENERATED ALWAYS AS ((qty * (2)::numeric)) STORED,\n"
      "    moods public.mood[],\n"
      "    parent bigint,\n"
      "    CONSTRAINT t_qty_check CHECK ((qty > (0)::numeric))\n"
      ")",
      "ALTER SEQUENCE public.t_s_seq OWNED BY public.t.s",
      "ALTER TABLE ONLY public.t ALTER COLUMN name SET STATISTICS 500",
      "ALTER TABLE ONLY public.t ALTER COLUMN qty SET STORAGE MAIN",
      "ALTER TABLE ONLY public.t ALTER COLUMN qty SET (n_distinct='100')",
      "COMMENT ON TABLE public.t IS 'it''s a table'",
      "COMMENT ON COLUMN public.t.name IS 'the name'",
  };
  EXPECT_EQ(plan.pre_data, pre);
  std::vector<std::string> post = {
      "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id) WITH (fillfactor='80')",
      "COMMENT ON CONSTRAINT t_pkey ON public.t IS 'pk'",
      "CREATE INDEX qty_idx ON public.t USING btree (qty) WHERE (qty > (1)::numeric)",
      "CREATE INDEX t_name_idx ON public.t USING btree (name)",
      "ALTER INDEX public.t_name_idx ALTER COLUMN 1 SET STATISTICS 200",
      "COMMENT ON INDEX public.t_name_idx IS 'by name'",
      "ALTER TABLE public.t CLUSTER ON qty_idx",
      "ALTER TABLE ONLY public.t ADD CONSTRAINT t_parent_fkey FOREIGN KEY (parent) REFERENCES public.t(id) ON DELETE "
      "CASCADE",
      "CREATE TRIGGER trg BEFORE UPDATE OF name, qty ON public.t FOR EACH ROW EXECUTE FUNCTION public.f()",
      "ALTER TABLE public.t DISABLE TRIGGER trg",
      "SELECT pg_catalog.setval('public.t_id_seq', 14, true)",
      "SELECT pg_catalog.setval('public.t_s_seq', 3, true)",
  };
  EXPECT_EQ(plan.post_data, post);
  EXPECT_EQ(plan.copy_columns, (std::vector<std::string>{"id", "s", "name", "qty", "moods", "parent"}));
  EXPECT_EQ(plan.source_copy_select, "SELECT id, s, name, qty, moods, parent FROM public.t");
  EXPECT_FALSE(plan.binary_copy);  // public.mood[] carries the enum's OID
  EXPECT_TRUE(plan.notices.empty());
}

TEST(PlanTableDdl, RenamedTableAdaptsEveryDependentName) {
  TableDdlOptions opts;
  opts.target_schema = "Ünï Schema";
  opts.target_table = "T2";
  opts.taken_relation_names = {"T2_pkey", "T2_qty_idx"};
  auto plan = ddl::plan_table_ddl(sample(), opts);
  const std::string t = "\"Ünï Schema\".\"T2\"";
  EXPECT_EQ(plan.pre_data[0],
            "CREATE SEQUENCE \"Ünï Schema\".\"T2_s_seq\" AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 "
            "MAXVALUE 2147483647 CACHE 1 NO CYCLE");
  EXPECT_NE(plan.pre_data[1].find("SEQUENCE NAME \"Ünï Schema\".\"T2_id_seq\" START WITH 10"), std::string::npos)
      << plan.pre_data[1];
  EXPECT_NE(plan.pre_data[1].find("s integer DEFAULT nextval('\"Ünï Schema\".\"T2_s_seq\"'::regclass) NOT NULL"),
            std::string::npos)
      << plan.pre_data[1];
  EXPECT_NE(plan.pre_data[1].find("CONSTRAINT \"T2_qty_check\" CHECK"), std::string::npos) << plan.pre_data[1];
  EXPECT_TRUE(has(plan.post_data, "ALTER TABLE ONLY " + t + " ADD CONSTRAINT \"T2_pkey1\" PRIMARY KEY (id) WITH (fillfactor='80')"));
  EXPECT_TRUE(has(plan.post_data, "CREATE INDEX \"T2_qty_idx1\" ON " + t + " USING btree (qty) WHERE (qty > (1)::numeric)"));
  EXPECT_TRUE(has(plan.post_data, "CREATE INDEX \"T2_name_idx\" ON " + t + " USING btree (name)"));
  EXPECT_TRUE(has(plan.post_data, "COMMENT ON INDEX \"Ünï Schema\".\"T2_name_idx\" IS 'by name'"));
  EXPECT_TRUE(has(plan.post_data, "ALTER TABLE " + t + " CLUSTER ON \"T2_qty_idx1\""));
  EXPECT_TRUE(has(plan.post_data, "ALTER TABLE ONLY " + t + " ADD CONSTRAINT \"T2_parent_fkey\" FOREIGN KEY (parent) "
                                  "REFERENCES " + t + "(id) ON DELETE CASCADE"));
  EXPECT_TRUE(has(plan.post_data, "CREATE TRIGGER trg BEFORE UPDATE OF name, qty ON " + t +
                                      " FOR EACH ROW EXECUTE FUNCTION public.f()"));
  EXPECT_TRUE(has(plan.post_data, "SELECT pg_catalog.setval('\"Ünï Schema\".\"T2_id_seq\"', 14, true)"));
  EXPECT_TRUE(has(plan.pre_data, "ALTER SEQUENCE \"Ünï Schema\".\"T2_s_seq\" OWNED BY " + t + ".s"));
  EXPECT_EQ(plan.source_copy_select, "SELECT id, s, name, qty, moods, parent FROM public.t");
}

TEST(PlanTableDdl, ColumnsSubsetLeavesOutWhatNeedsOtherColumns) {
  TableDdlOptions opts;
  opts.columns = std::vector<std::string>{"id", "name", "total"};
  auto plan = ddl::plan_table_ddl(sample(), opts);
  EXPECT_EQ(plan.copy_columns, (std::vector<std::string>{"id", "name"}));
  EXPECT_TRUE(plan.binary_copy);  // the enum array is not copied
  EXPECT_TRUE(has(plan.notices, "generated column \"total\" left out: it needs column \"qty\", which is not cloned"));
  EXPECT_TRUE(has(plan.notices, "index \"qty_idx\" left out: it needs column \"qty\", which is not cloned"));
  EXPECT_TRUE(has(plan.notices, "constraint \"t_qty_check\" left out: it needs column \"qty\", which is not cloned"));
  EXPECT_TRUE(has(plan.notices, "constraint \"t_parent_fkey\" left out: it needs column \"parent\", which is not cloned"));
  EXPECT_TRUE(has(plan.notices, "trigger \"trg\" left out: it needs column \"qty\", which is not cloned"));
  EXPECT_TRUE(has(plan.post_data, "CREATE INDEX t_name_idx ON public.t USING btree (name)"));
  for (const auto& s : plan.pre_data) {
    EXPECT_EQ(s.find("t_s_seq"), std::string::npos) << s;  // its column is not cloned
    EXPECT_EQ(s.find("qty"), std::string::npos) << s;
  }
  for (const auto& s : plan.post_data) EXPECT_EQ(s.find("CLUSTER"), std::string::npos) << s;
}

TEST(PlanTableDdl, UnknownColumnIsAnError) {
  TableDdlOptions opts;
  opts.columns = std::vector<std::string>{"id", "nope"};
  try {
    ddl::plan_table_ddl(sample(), opts);
    FAIL() << "no exception";
  } catch (const pg::PgError& e) {
    EXPECT_EQ(e.sqlstate, "42703");
    EXPECT_EQ(e.message, "column \"nope\" of relation \"public.t\" does not exist");
  }
}

TEST(PlanTableDdl, IncludeFlagsDropObjectKinds) {
  TableDdlOptions opts;
  opts.include_indexes = opts.include_constraints = opts.include_triggers = false;
  auto plan = ddl::plan_table_ddl(sample(), opts);
  EXPECT_EQ(plan.pre_data[1].find("CONSTRAINT"), std::string::npos);
  EXPECT_EQ(plan.post_data, (std::vector<std::string>{"SELECT pg_catalog.setval('public.t_id_seq', 14, true)",
                                                      "SELECT pg_catalog.setval('public.t_s_seq', 3, true)"}));
}

TEST(PlanTableDdl, IdentitySequenceOfAnotherTypeIsAlteredAfterwards) {
  TableDefinition d = sample();
  d.columns[0].identity_sequence->type = "smallint";
  d.columns[0].identity_sequence->max_value = 30000;
  d.unlogged = true;
  auto plan = ddl::plan_table_ddl(d, {});
  EXPECT_EQ(plan.pre_data[1].rfind("CREATE UNLOGGED TABLE public.t (\n    id bigint GENERATED ALWAYS AS IDENTITY "
                                   "(SEQUENCE NAME public.t_id_seq) NOT NULL,", 0),
            0u)
      << plan.pre_data[1];
  EXPECT_TRUE(has(plan.pre_data, "ALTER SEQUENCE public.t_id_seq AS smallint START WITH 10 INCREMENT BY 2 MINVALUE 1 "
                                 "MAXVALUE 30000 CACHE 5 NO CYCLE"));
  EXPECT_TRUE(has(plan.pre_data, "ALTER SEQUENCE public.t_id_seq SET LOGGED"));  // identity seqs follow the table
}

TEST(DefinitionText, RejectsUnexpectedServerText) {
  IndexDefinition x;
  x.name = "i";
  x.definition = "CREATE INDEX i ON public.other USING btree (a)";
  EXPECT_THROW(ddl::rewrite_index_definition(x, "public.t", "i2", "public.t2"), std::logic_error);
  x.definition = "CREATE INDEX i ON ONLY public.t USING btree (a)";
  EXPECT_EQ(ddl::rewrite_index_definition(x, "public.t", "i2", "public.t2"),
            "CREATE INDEX i2 ON ONLY public.t2 USING btree (a)");
  TriggerDefinition t;
  t.name = "x";
  t.type = 4 | 8 | 32;  // INSERT OR DELETE OR TRUNCATE, AFTER, statement level
  t.definition = "CREATE TRIGGER x AFTER INSERT OR DELETE OR TRUNCATE ON public.t FOR EACH STATEMENT EXECUTE FUNCTION f()";
  EXPECT_EQ(ddl::rewrite_trigger_definition(t, "public.t", "s.\"T\""),
            "CREATE TRIGGER x AFTER INSERT OR DELETE OR TRUNCATE ON s.\"T\" FOR EACH STATEMENT EXECUTE FUNCTION f()");
  t.type = 4;  // the bits no longer describe the text
  EXPECT_THROW(ddl::rewrite_trigger_definition(t, "public.t", "public.t2"), std::logic_error);
}

TEST(DefinitionText, IndexOptionsGoBeforeDeferrable) {
  ConstraintDefinition u;
  u.type = 'u';
  u.definition = "UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) DEFERRABLE INITIALLY DEFERRED";
  u.deferrable = u.deferred = true;
  u.index_options = {{"fillfactor", "70"}, {"deduplicate_items", "off"}};
  EXPECT_EQ(ddl::constraint_definition_with_index_options(u),
            "UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) WITH (fillfactor='70', deduplicate_items='off') DEFERRABLE "
            "INITIALLY DEFERRED");
}

TEST(RenameAside, MovesTableAndDependentsToOldNames) {
  std::set<std::string> taken = {"t", "t_pkey", "t_id_seq", "t_s_seq", "qty_idx", "t_name_idx", "t_old_pkey"};
  auto stmts = ddl::rename_aside_statements(sample(), taken);
  std::vector<std::string> expected = {
      "ALTER TABLE public.t RENAME TO t_old",
      "ALTER TABLE public.t_old RENAME CONSTRAINT t_pkey TO t_old_pkey1",
      "ALTER TABLE public.t_old RENAME CONSTRAINT t_parent_fkey TO t_old_parent_fkey",
      "ALTER TABLE public.t_old RENAME CONSTRAINT t_qty_check TO t_old_qty_check",
      "ALTER INDEX public.qty_idx RENAME TO t_old_qty_idx",
      "ALTER INDEX public.t_name_idx RENAME TO t_old_name_idx",
      "ALTER SEQUENCE public.t_id_seq RENAME TO t_old_id_seq",
      "ALTER SEQUENCE public.t_s_seq RENAME TO t_old_s_seq",
  };
  EXPECT_EQ(stmts, expected);
  EXPECT_EQ(taken, (std::set<std::string>{"t_old", "t_old_pkey", "t_old_pkey1", "t_old_qty_idx", "t_old_name_idx",
                                          "t_old_id_seq", "t_old_s_seq"}));
}

TEST(RenameAside, OldNameTakenGetsSuffix) {
  std::set<std::string> taken = {"t", "t_old"};
  TableDefinition d;
  d.schema = "public";
  d.name = "t";
  auto stmts = ddl::rename_aside_statements(d, taken);
  EXPECT_EQ(stmts, (std::vector<std::string>{"ALTER TABLE public.t RENAME TO t_old1"}));
}

// An invalid index of a plain table (a failed CREATE INDEX CONCURRENTLY) is
// left out; a partitioned table's invalid index (a partition's index not
// attached) is created ON ONLY the table like a valid one, so the target
// ends up just as invalid after the same attachments.
TEST(PlanTableDdl, InvalidIndexLeftOutUnlessTheTableIsPartitioned) {
  TableDefinition plain = sample();
  plain.indexes[1].valid = false;
  TableDdlOptions opts;
  auto plan = ddl::plan_table_ddl(plain, opts);
  EXPECT_FALSE(has(plan.post_data, "CREATE INDEX t_name_idx ON public.t USING btree (name)"));
  EXPECT_TRUE(has(plan.notices, "index \"t_name_idx\" left out: it is not valid on the source"));

  TableDefinition parted = sample();
  parted.relkind = 'p';
  parted.indexes[1].valid = false;
  parted.indexes[1].definition = "CREATE INDEX t_name_idx ON ONLY public.t USING btree (name)";
  plan = ddl::plan_table_ddl(parted, opts);
  EXPECT_TRUE(has(plan.post_data, "CREATE INDEX t_name_idx ON ONLY public.t USING btree (name)"));
  EXPECT_FALSE(has(plan.notices, "index \"t_name_idx\" left out: it is not valid on the source"));
}
