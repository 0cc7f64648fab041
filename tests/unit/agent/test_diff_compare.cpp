// pgclone.diff()'s comparison, without a server: catalog definitions as the
// readers return them -> snapshots -> report (diff/snapshot_facts.h,
// diff/comparer.h, diff/report_json.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "diff/comparer.h"
#include "diff/report_json.h"
#include "diff/snapshot_facts.h"

namespace pgclone::agent::diff {
namespace {

catalog::ColumnDefinition column(const std::string& name, const std::string& type, bool not_null = false) {
  catalog::ColumnDefinition c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  return c;
}

// A small schema "s": orders(id, note) with a primary key, an index, a
// trigger, a serial sequence; a view, a function, a policy and grants.
SideCatalog sample_side() {
  SideCatalog side;
  side.schema = "s";
  side.exists = true;
  catalog::TableDefinition t;
  t.schema = "s";
  t.name = "orders";
  t.oid = "100";
  t.columns = {column("id", "integer", true), column("note", "text")};
  t.columns[0].default_expr = "nextval('s.orders_id_seq'::regclass)";
  catalog::SequenceDefinition seq;
  seq.schema = "s";
  seq.name = "orders_id_seq";
  seq.type = "integer";
  seq.owner_column = "id";
  seq.last_value = 42;
  t.owned_sequences = {seq};
  catalog::ConstraintDefinition pk;
  pk.name = "orders_pkey";
  pk.type = 'p';
  pk.definition = "PRIMARY KEY (id)";
  pk.columns = {"id"};
  t.constraints = {pk};
  catalog::IndexDefinition index;
  index.name = "orders_note_idx";
  index.definition = "CREATE INDEX orders_note_idx ON s.orders USING btree (note)";
  index.columns = {"note"};
  t.indexes = {index};
  catalog::TriggerDefinition trigger;
  trigger.name = "orders_audit";
  trigger.definition = "CREATE TRIGGER orders_audit AFTER INSERT ON s.orders FOR EACH ROW EXECUTE FUNCTION s.audit()";
  t.triggers = {trigger};
  side.tables = {t};
  catalog::ViewDefinition view;
  view.oid = "200";
  view.schema = "s";
  view.name = "v";
  view.query = " SELECT orders.id FROM s.orders";
  side.views = {view};
  catalog::RoutineDefinition f;
  f.schema = "s";
  f.name = "audit";
  f.identity_arguments = "";
  f.definition = "CREATE OR REPLACE FUNCTION s.audit()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $$begin return new; end$$";
  side.routines = {f};
  catalog::PolicyDefinition policy;
  policy.relation_oid = "100";
  policy.name = "mine";
  policy.roles = {"public"};
  policy.using_expr = "true";
  side.policies = {policy};
  side.row_security = {{"100", true, false}};
  catalog::PrivilegeEntry grant;
  grant.kind = "table";
  grant.schema = "s";
  grant.name = "orders";
  grant.owner = "alice";
  grant.acl = {"alice=arwdDxt/alice", "reader=r/alice"};
  side.privileges = {grant};
  return side;
}

DiffReport diff_of(const SideCatalog& source, const SideCatalog& target) {
  return compare_snapshots(build_snapshot(source), build_snapshot(target));
}

TEST(DiffCompare, IdenticalSidesAreInSync) {
  const DiffReport report = diff_of(sample_side(), sample_side());
  EXPECT_EQ(report.diff_count(), 0);
  const auto json = nlohmann::json::parse(report_json(report));
  EXPECT_EQ(json["in_sync"], true);
  EXPECT_EQ(json["diff_count"], 0);
  EXPECT_EQ(json["schema"], "s");
  for (const char* key : {"tables", "indexes", "constraints", "triggers", "views", "sequences", "functions", "types",
                          "policies", "privileges"}) {
    EXPECT_TRUE(json[key]["only_in_source"].empty()) << key;
    EXPECT_TRUE(json[key]["modified"].empty()) << key;
  }
}

TEST(DiffCompare, OwnersGrantorsOidsCommentsAndPositionsAreNotCompared) {
  SideCatalog target = sample_side();
  target.tables[0].oid = "900";
  target.row_security[0].relation_oid = "900";
  target.policies[0].relation_oid = "900";
  target.tables[0].comment = "other";
  target.tables[0].owned_sequences[0].last_value = 1000;
  target.privileges[0].owner = "bob";
  target.privileges[0].acl = {"bob=arwdDxt/bob", "reader=r/bob"};
  EXPECT_EQ(diff_of(sample_side(), target).diff_count(), 0);
}

TEST(DiffCompare, AnAclEqualToTheOwnersDefaultIsTheDefault) {
  catalog::PrivilegeEntry e;
  e.kind = "function";
  e.owner = "alice";
  e.acl = {"=X/alice", "alice=X/alice"};
  EXPECT_TRUE(normalized_acl(e).empty());
  e.acl = {"alice=X/alice"};  // REVOKE EXECUTE FROM PUBLIC
  EXPECT_EQ(normalized_acl(e), std::vector<std::string>{"OWNER=X"});
  e.kind = "table";
  e.acl = {"\"we=ird\"=r/alice", "alice=arwdDxt/alice"};
  EXPECT_EQ(normalized_acl(e), (std::vector<std::string>{"\"we=ird\"=r", "OWNER=arwdDxt"}));
}

TEST(DiffCompare, AddedColumnIsOneModifiedTable) {
  SideCatalog target = sample_side();
  target.tables[0].columns.push_back(column("extra", "bigint", true));
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  ASSERT_EQ(report.tables.modified.size(), 1u);
  ASSERT_EQ(report.tables.modified[0].columns_only_in_target.size(), 1u);
  EXPECT_EQ(report.tables.modified[0].columns_only_in_target[0].name, "extra");
  const auto json = nlohmann::json::parse(report_json(report));
  EXPECT_EQ(json["summary"]["tables_modified"], 1);
  EXPECT_EQ(json["tables"]["modified"][0]["columns_only_in_target"][0]["type"], "bigint");
  EXPECT_EQ(json["tables"]["modified"][0]["columns_only_in_target"][0]["not_null"], true);
}

TEST(DiffCompare, ColumnChangesNameWhatChangedWithBothValues) {
  SideCatalog target = sample_side();
  target.tables[0].columns[1].type = "character varying(10)";
  target.tables[0].columns[1].not_null = true;
  target.tables[0].columns[1].default_expr = "'x'::text";
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);  // one table, however many of its column properties
  const auto json = nlohmann::json::parse(report_json(report));
  const auto& drift = json["tables"]["modified"][0]["columns_drift"][0];
  EXPECT_EQ(drift["name"], "note");
  EXPECT_EQ(drift["source_type"], "text");
  EXPECT_EQ(drift["target_type"], "character varying(10)");
  EXPECT_EQ(drift["source_not_null"], false);
  EXPECT_EQ(drift["target_not_null"], true);
  EXPECT_TRUE(drift["source_default"].is_null());
  EXPECT_EQ(drift["target_default"], "'x'::text");
  EXPECT_EQ(drift["changes"].size(), 3u);
}

TEST(DiffCompare, IdentityGeneratedAndCollationAreColumnChanges) {
  SideCatalog target = sample_side();
  target.tables[0].columns[1].collation = "\"C\"";
  target.tables[0].columns[1].generated_expr = "upper(note)";
  const DiffReport report = diff_of(sample_side(), target);
  ASSERT_EQ(report.tables.modified.size(), 1u);
  const std::vector<Change>& changes = report.tables.modified[0].columns_drift[0].changes;
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].what, "collation");
  EXPECT_EQ(changes[1].what, "generated");
}

TEST(DiffCompare, RenamedTableIsOneOnEachSideAndItsObjectsAreNotRepeated) {
  SideCatalog target = sample_side();
  target.tables[0].name = "orders2";
  const DiffReport report = diff_of(sample_side(), target);
  ASSERT_EQ(report.tables.only_in_source.size(), 1u);
  ASSERT_EQ(report.tables.only_in_target.size(), 1u);
  EXPECT_EQ(report.tables.only_in_source[0].name, "orders");
  EXPECT_EQ(report.tables.only_in_target[0].name, "orders2");
  // Its constraint, index, trigger, owned sequence, policy and grant hang on it.
  EXPECT_EQ(report.diff_count(), 2);
}

TEST(DiffCompare, DroppedIndexAndChangedIndexAreReportedInIndexes) {
  SideCatalog target = sample_side();
  target.tables[0].indexes.clear();
  DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  ASSERT_EQ(report.categories["indexes"].only_in_source.size(), 1u);
  EXPECT_EQ(report.categories["indexes"].only_in_source[0].table, "orders");

  target = sample_side();
  target.tables[0].indexes[0].definition = "CREATE INDEX orders_note_idx ON s.orders USING hash (note)";
  report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  ASSERT_EQ(report.categories["indexes"].modified.size(), 1u);
  EXPECT_EQ(report.categories["indexes"].modified[0].changes[0].what, "definition");
}

TEST(DiffCompare, ForeignKeysTheServerClonedFromAParentAreNotCompared) {
  SideCatalog source = sample_side(), target = sample_side();
  catalog::ConstraintDefinition fk;
  fk.name = "orders_customer_fkey1";
  fk.type = 'f';
  fk.from_parent = true;
  fk.definition = "FOREIGN KEY (customer) REFERENCES s.customers_2023(id)";
  source.tables[0].constraints.push_back(fk);
  fk.definition = "FOREIGN KEY (customer) REFERENCES s.customers_2024(id)";  // attached in another order
  target.tables[0].constraints.push_back(fk);
  EXPECT_EQ(diff_of(source, target).diff_count(), 0);
  target.tables[0].constraints.back().from_parent = false;  // one of its own
  EXPECT_EQ(diff_of(source, target).diff_count(), 1);
}

TEST(DiffCompare, DisabledTriggerIsOneModifiedTrigger) {
  SideCatalog target = sample_side();
  target.tables[0].triggers[0].enabled = 'D';
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  const auto& modified = report.categories.at("triggers").modified;
  ASSERT_EQ(modified.size(), 1u);
  ASSERT_EQ(modified[0].changes.size(), 1u);
  EXPECT_EQ(modified[0].changes[0].what, "enabled");
  EXPECT_EQ(*modified[0].changes[0].source, "enabled");
  EXPECT_EQ(*modified[0].changes[0].target, "disabled");
}

TEST(DiffCompare, SequenceDefinitionButNotPosition) {
  SideCatalog target = sample_side();
  target.tables[0].owned_sequences[0].increment = 5;
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  const auto json = nlohmann::json::parse(report_json(report));
  EXPECT_EQ(json["sequences"]["modified"][0]["name"], "orders_id_seq");
  EXPECT_EQ(json["sequences"]["modified"][0]["changes"][0]["what"], "increment");
  EXPECT_EQ(json["sequences"]["modified"][0]["changes"][0]["source"], "1");
  EXPECT_EQ(json["sequences"]["modified"][0]["changes"][0]["target"], "5");
}

TEST(DiffCompare, RowSecurityIsATableChangeAndPoliciesTheirOwnCategory) {
  SideCatalog target = sample_side();
  target.row_security[0].forced = true;
  DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  ASSERT_EQ(report.tables.modified.size(), 1u);
  EXPECT_EQ(report.tables.modified[0].changes[0].what, "force_row_security");

  target = sample_side();
  target.policies.clear();
  report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  EXPECT_EQ(report.categories["policies"].only_in_source.size(), 1u);
}

TEST(DiffCompare, GrantAndRevokeArePrivilegeChanges) {
  SideCatalog target = sample_side();
  target.privileges[0].acl = {"alice=arwdDxt/alice"};  // REVOKE SELECT FROM reader: the default again
  DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  EXPECT_EQ(report.categories["privileges"].only_in_source.size(), 1u);

  target = sample_side();
  target.privileges[0].acl.push_back("writer=w/alice");
  report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 1);
  ASSERT_EQ(report.categories["privileges"].modified.size(), 1u);
  EXPECT_EQ(report.categories["privileges"].modified[0].name, "table orders");
}

TEST(DiffCompare, FunctionsAreKeyedBySignature) {
  SideCatalog target = sample_side();
  target.routines[0].identity_arguments = "integer";
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_EQ(report.diff_count(), 2);
  EXPECT_EQ(report.categories.at("functions").only_in_source[0].name, "audit()");
  EXPECT_EQ(report.categories.at("functions").only_in_target[0].name, "audit(integer)");
}

TEST(DiffCompare, MissingTargetSchemaIsEverythingOnlyInSource) {
  SideCatalog target;
  target.schema = "s";
  const DiffReport report = diff_of(sample_side(), target);
  EXPECT_FALSE(report.target_schema_exists);
  // the table, the view and the function; what hangs on the table is in its entry
  EXPECT_EQ(report.diff_count(), 3);
  const auto json = nlohmann::json::parse(report_json(report));
  EXPECT_EQ(json["in_sync"], false);
  EXPECT_EQ(json["target_schema_exists"], false);
  EXPECT_EQ(json["tables"]["only_in_source"][0], "orders");
}

}  // namespace
}  // namespace pgclone::agent::diff
