// The SELECT a masked table's COPY runs on the source: masked expressions in
// place of their columns (cast to the column's type), the columns' order and
// names kept, the row filter kept, and shuffled columns joined back by row
// number from a randomly numbered second scan.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mask/masked_select.h"
#include "pgclone/protocol/mask_sql.h"

using namespace pgclone::agent;
using catalog::ColumnDefinition;
using catalog::TableDefinition;
using pgclone::protocol::ColumnMasks;
using pgclone::protocol::KeyUse;

namespace {

ColumnDefinition col(const std::string& name, const std::string& type, char category, const std::string& base) {
  ColumnDefinition c;
  c.name = name;
  c.type = type;
  c.base_category = category;
  c.base_type = base;
  return c;
}

// public.people (id integer, "Full Name" text, email text, salary numeric(10,2))
TableDefinition people() {
  TableDefinition t;
  t.schema = "public";
  t.name = "people";
  t.columns = {col("id", "integer", 'N', "int4"), col("Full Name", "text", 'S', "text"), col("email", "text", 'S', "text"),
               col("salary", "numeric(10,2)", 'N', "numeric")};
  return t;
}

const std::vector<std::string> kAllColumns = {"id", "\"Full Name\"", "email", "salary"};

ColumnMasks masks_of(const std::string& json) {
  return pgclone::protocol::column_masks_from_json(nlohmann::json::parse(json), "mask");
}

// The expression protocol/mask_sql.h writes for `rule_json` on column `c` of people().
std::string expression(const std::string& rule_json, std::size_t c, const std::string& column_sql) {
  const TableDefinition t = people();
  const ColumnMasks m = masks_of("{\"x\": " + rule_json + "}");
  pgclone::protocol::MaskColumn mc;
  mc.name = t.columns[c].name;
  mc.type = t.columns[c].type;
  mc.category = t.columns[c].base_category;
  mc.base_type = t.columns[c].base_type;
  return pgclone::protocol::mask_expression(m.at("x"), mc, column_sql, KeyUse::kSessionKey);
}

TEST(MaskedSelect, PerRowMasksReplaceTheirColumns) {
  const std::string sql =
      mask::masked_copy_select(people(), kAllColumns, masks_of(R"({"email": "email", "Full Name": "name"})"),
                               "ONLY public.people", std::nullopt);
  EXPECT_EQ(sql, "SELECT id, " + expression("\"name\"", 1, "\"Full Name\"") + " AS \"Full Name\", " +
                     expression("\"email\"", 2, "email") + " AS email, salary FROM ONLY public.people");
}

TEST(MaskedSelect, KeyedHashReadsTheSessionsKey) {
  const std::string sql =
      mask::masked_copy_select(people(), kAllColumns, masks_of(R"({"email": "hash"})"), "public.people", std::nullopt);
  EXPECT_NE(sql.find("pg_catalog.current_setting('pgclone_mask.inner')"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("md5"), std::string::npos) << sql;
  EXPECT_NE(sql.find(")::text AS email, salary FROM public.people"), std::string::npos) << sql;
}

TEST(MaskedSelect, RowFilterIsKept) {
  const std::string sql = mask::masked_copy_select(people(), kAllColumns, masks_of(R"({"salary": "null"})"),
                                                   "ONLY public.people", std::string("people.id > 10"));
  EXPECT_EQ(sql, "SELECT id, \"Full Name\", email, (NULL)::numeric(10,2) AS salary FROM ONLY public.people "
                 "WHERE (people.id > 10\n)");
}

TEST(MaskedSelect, OnlyTheCopiedColumnsInTheirOrder) {
  // "columns": ["email", "id"]; a mask on a column that is not copied has no place.
  const std::string sql = mask::masked_copy_select(people(), {"email", "id"}, masks_of(R"({"email": "null", "salary": "null"})"),
                                                   "public.people", std::nullopt);
  EXPECT_EQ(sql, "SELECT (NULL)::text AS email, id FROM public.people");
}

TEST(MaskedSelect, ShuffledColumnComesFromARandomlyNumberedScan) {
  const std::string sql = mask::masked_copy_select(people(), kAllColumns, masks_of(R"({"salary": "shuffle"})"),
                                                   "ONLY public.people", std::nullopt);
  EXPECT_EQ(sql,
            "SELECT m.id, m.\"Full Name\", m.email, s0.v AS salary FROM "
            "(SELECT *, pg_catalog.row_number() OVER () AS pgclone_shuffle_row FROM ONLY public.people) AS m "
            "JOIN (SELECT salary AS v, pg_catalog.row_number() OVER (ORDER BY pg_catalog.random()) AS pgclone_shuffle_row "
            "FROM ONLY public.people) AS s0 ON s0.pgclone_shuffle_row = m.pgclone_shuffle_row");
}

TEST(MaskedSelect, ShuffleWithOtherMasksAndAFilter) {
  const std::string sql = mask::masked_copy_select(people(), kAllColumns,
                                                   masks_of(R"({"salary": "shuffle", "Full Name": "shuffle", "email": "email"})"),
                                                   "public.people", std::string("id % 2 = 0"));
  // Per-row masks read the numbered scan's columns; each shuffled column is a
  // scan of its own, in the order the columns are copied, filtered the same way.
  EXPECT_EQ(sql,
            "SELECT m.id, s0.v AS \"Full Name\", " + expression("\"email\"", 2, "m.email") +
                " AS email, s1.v AS salary FROM "
                "(SELECT *, pg_catalog.row_number() OVER () AS pgclone_shuffle_row FROM public.people WHERE (id % 2 = 0\n)) AS m "
                "JOIN (SELECT \"Full Name\" AS v, pg_catalog.row_number() OVER (ORDER BY pg_catalog.random()) AS "
                "pgclone_shuffle_row FROM public.people WHERE (id % 2 = 0\n)) AS s0 ON s0.pgclone_shuffle_row = "
                "m.pgclone_shuffle_row "
                "JOIN (SELECT salary AS v, pg_catalog.row_number() OVER (ORDER BY pg_catalog.random()) AS "
                "pgclone_shuffle_row FROM public.people WHERE (id % 2 = 0\n)) AS s1 ON s1.pgclone_shuffle_row = "
                "m.pgclone_shuffle_row");
}

TEST(MaskedSelect, NoMasksIsThePlainSelect) {
  EXPECT_EQ(mask::masked_copy_select(people(), kAllColumns, {}, "ONLY public.people", std::nullopt),
            "SELECT id, \"Full Name\", email, salary FROM ONLY public.people");
}

}  // namespace
