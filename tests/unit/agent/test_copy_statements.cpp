#include <gtest/gtest.h>

#include "copy/copy_statements.h"

using pgclone::agent::copy::copy_statements;

TEST(CopyStatements, BinaryWithColumns) {
  const auto s = copy_statements("SELECT a, \"B c\" FROM s.t", "s.t", {"a", "\"B c\""}, true);
  EXPECT_EQ(s.source, "COPY (SELECT a, \"B c\" FROM s.t) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(s.target, "COPY s.t (a, \"B c\") FROM STDIN (FORMAT binary, FREEZE)");
}

TEST(CopyStatements, TextFormatOnBothSides) {
  const auto s = copy_statements("SELECT a FROM s.t", "s.t2", {"a"}, false);
  EXPECT_EQ(s.source, "COPY (SELECT a FROM s.t) TO STDOUT (FORMAT text)");
  EXPECT_EQ(s.target, "COPY s.t2 (a) FROM STDIN (FORMAT text, FREEZE)");
}

// A table without columns (or with generated ones only) still has rows: no
// column list at all, which PostgreSQL reads as zero fields per row ("()" is
// a syntax error).
TEST(CopyStatements, NoColumnsMeansNoColumnList) {
  const auto s = copy_statements("SELECT  FROM s.t", "s.t", {}, true);
  EXPECT_EQ(s.source, "COPY (SELECT  FROM s.t) TO STDOUT (FORMAT binary)");
  EXPECT_EQ(s.target, "COPY s.t FROM STDIN (FORMAT binary, FREEZE)");
}
