#include <gtest/gtest.h>

#include "copy/copy_statements.h"

using pgclone::agent::copy::copy_statements;

TEST(CopyStatements, BinaryWithColumns) {
  const auto s = copy_statements({"SELECT a, \"B c\" FROM s.t", ""}, "s.t", {"a", "\"B c\""}, true);
  EXPECT_EQ(s.source, "COPY (SELECT a, \"B c\" FROM s.t) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(s.target, "COPY s.t (a, \"B c\") FROM STDIN (FORMAT binary, FREEZE)");
}

TEST(CopyStatements, TextFormatOnBothSides) {
  const auto s = copy_statements({"SELECT a FROM s.t", ""}, "s.t2", {"a"}, false);
  EXPECT_EQ(s.source, "COPY (SELECT a FROM s.t) TO STDOUT (FORMAT text)");
  EXPECT_EQ(s.target, "COPY s.t2 (a) FROM STDIN (FORMAT text, FREEZE)");
}

// A table without columns (or with generated ones only) still has rows: no
// column list at all, which PostgreSQL reads as zero fields per row ("()" is
// a syntax error).
TEST(CopyStatements, NoColumnsMeansNoColumnList) {
  const auto s = copy_statements({"SELECT  FROM s.t", ""}, "s.t", {}, true);
  EXPECT_EQ(s.source, "COPY (SELECT  FROM s.t) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(s.target, "COPY s.t FROM STDIN (FORMAT binary, FREEZE)");
  const auto whole = copy_statements({"SELECT  FROM s.t", "s.t"}, "s.t", {}, true);
  EXPECT_EQ(whole.source, "COPY s.t TO STDOUT (FORMAT binary)");
}

// The plain SELECT of a whole table is read by COPY of the table itself (no
// query to plan on the source); an inheritance parent's ONLY is implied.
TEST(CopyStatements, WholeTableIsCopiedWithoutASelect) {
  const auto s = copy_statements({"SELECT a, b FROM s.\"T\"", "s.\"T\""}, "s.t2", {"a", "b"}, true, false);
  EXPECT_EQ(s.source, "COPY s.\"T\" (a, b) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(s.target, "COPY s.t2 (a, b) FROM STDIN (FORMAT binary)");
  const auto parent = copy_statements({"SELECT a FROM ONLY s.p", "ONLY s.p"}, "s.p", {"a"}, true);
  EXPECT_EQ(parent.source, "COPY s.p (a) TO STDOUT (FORMAT binary)");
}

// Whatever changed the SELECT (a mask, a where, a sample's rows) keeps it:
// COPY of the table would read unmasked or unfiltered rows.
TEST(CopyStatements, ChangedSelectIsNeverReplacedByTheTable) {
  const auto masked = copy_statements({"SELECT a, md5(b) FROM s.t", "s.t"}, "s.t", {"a", "b"}, true);
  EXPECT_EQ(masked.source, "COPY (SELECT a, md5(b) FROM s.t) TO STDOUT (FORMAT binary)");
  const auto filtered = copy_statements({"SELECT a FROM s.t WHERE (a > 1\n)", "s.t"}, "s.t", {"a"}, true);
  EXPECT_EQ(filtered.source, "COPY (SELECT a FROM s.t WHERE (a > 1\n)) TO STDOUT (FORMAT binary)");
}
