#include <gtest/gtest.h>

#include <stdexcept>

#include "ddl/privilege_ddl.h"
#include "plan/privilege_steps.h"

namespace pgclone::agent::ddl {
namespace {

AclObject object_of(AclObjectKind kind, std::string target, std::string column, std::string owner,
                    std::optional<std::vector<std::string>> acl) {
  AclObject object;
  object.kind = kind;
  object.target = std::move(target);
  object.column = std::move(column);
  object.owner = std::move(owner);
  object.acl = std::move(acl);
  return object;
}

std::vector<std::string> sql_of(const AclObject& object) {
  std::vector<std::string> out;
  for (const auto& s : privilege_statements(object)) out.push_back(s.sql);
  return out;
}

TEST(PrivilegeDdl, ParsesAclItems) {
  AclItem item = parse_acl_item("reader=r*w/alice");
  EXPECT_EQ(item.grantee, "reader");
  EXPECT_EQ(item.grantor, "alice");
  EXPECT_EQ(item.privileges, "rw");
  EXPECT_EQ(item.grant_options, "r");

  item = parse_acl_item("=X/alice");
  EXPECT_EQ(item.grantee, "");  // PUBLIC
  EXPECT_EQ(item.privileges, "X");

  item = parse_acl_item(R"("My ""Role"""=U/"a/b=c")");
  EXPECT_EQ(item.grantee, "My \"Role\"");
  EXPECT_EQ(item.grantor, "a/b=c");
  EXPECT_EQ(item.privileges, "U");
}

TEST(PrivilegeDdl, MalformedAclItemsThrow) {
  for (const char* text : {"reader", "reader=r", "reader=q/alice", "\"reader=r/alice", "reader=r/"}) {
    EXPECT_THROW(parse_acl_item(text), std::invalid_argument) << text;
  }
}

TEST(PrivilegeDdl, PrivilegeNames) {
  EXPECT_EQ(privilege_names(AclObjectKind::kTable, "arwdDxt"), "ALL");
  EXPECT_EQ(privilege_names(AclObjectKind::kTable, "rw"), "SELECT, UPDATE");
  EXPECT_EQ(privilege_names(AclObjectKind::kSequence, "rwU"), "ALL");
  EXPECT_EQ(privilege_names(AclObjectKind::kSequence, "U"), "USAGE");
  EXPECT_EQ(privilege_names(AclObjectKind::kFunction, "X"), "ALL");
  EXPECT_EQ(privilege_names(AclObjectKind::kSchema, "U"), "USAGE");
  EXPECT_EQ(privilege_names(AclObjectKind::kTable, "D"), "TRUNCATE");
  EXPECT_EQ(each_privilege_name("arwdDxt"), "INSERT, SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER");
  EXPECT_THROW(privilege_names(AclObjectKind::kTable, "q"), std::invalid_argument);
}

TEST(PrivilegeDdl, NullOrDefaultAclNeedsNothing) {
  AclObject f = object_of(AclObjectKind::kFunction, "s.f(integer)", "", "alice", std::nullopt);
  EXPECT_TRUE(privilege_statements(f).empty());
  f.acl = std::vector<std::string>{"=X/alice", "alice=X/alice"};
  EXPECT_TRUE(privilege_statements(f).empty());
  AclObject t = object_of(AclObjectKind::kTable, "s.t", "", "alice", std::vector<std::string>{"alice=arwdDxt/alice"});
  EXPECT_TRUE(privilege_statements(t).empty());
}

TEST(PrivilegeDdl, FunctionLockedDownRevokesFromPublic) {
  AclObject f = object_of(AclObjectKind::kFunction, "s.f()", "", "alice", std::vector<std::string>{"alice=X/alice", "app=X/alice"});
  const auto statements = privilege_statements(f);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].sql, "REVOKE ALL ON FUNCTION s.f() FROM PUBLIC");
  EXPECT_FALSE(statements[0].grant);
  EXPECT_EQ(statements[1].sql, "GRANT ALL ON FUNCTION s.f() TO app");
  EXPECT_TRUE(statements[1].grant);
  EXPECT_EQ(statements[1].grantee, "app");
  EXPECT_FALSE(statements[1].to_owner);
  EXPECT_EQ(statements[1].object, "FUNCTION s.f()");
  EXPECT_EQ(statements[1].privileges, "EXECUTE");  // messages name it, the statement says ALL as pg_dump does
}

TEST(PrivilegeDdl, EmptyAclRevokesEverythingIncludingTheOwner) {
  AclObject f = object_of(AclObjectKind::kProcedure, "s.p()", "", "alice", std::vector<std::string>{});
  EXPECT_EQ(sql_of(f), (std::vector<std::string>{"REVOKE ALL ON PROCEDURE s.p() FROM CURRENT_USER",
                                                 "REVOKE ALL ON PROCEDURE s.p() FROM PUBLIC"}));
}

TEST(PrivilegeDdl, OwnerWithFewerPrivilegesIsRevokedThenRegranted) {
  AclObject t = object_of(AclObjectKind::kTable, "s.t", "", "alice", std::vector<std::string>{"alice=r/alice", "=r/alice"});
  const auto statements = privilege_statements(t);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].sql, "REVOKE ALL ON TABLE s.t FROM CURRENT_USER");
  EXPECT_EQ(statements[1].sql, "GRANT SELECT ON TABLE s.t TO CURRENT_USER");
  EXPECT_TRUE(statements[1].to_owner);
  EXPECT_EQ(statements[2].sql, "GRANT SELECT ON TABLE s.t TO PUBLIC");
  EXPECT_FALSE(statements[2].to_owner);
  EXPECT_EQ(statements[2].grantee, "");
}

TEST(PrivilegeDdl, SourceOwnerKeepsTheOwnersEntries) {
  AclObject t{AclObjectKind::kTable, "s.t", "", "alice", std::vector<std::string>{"alice=r/alice", "bob=w/alice"}};
  t.source_owner = true;
  EXPECT_EQ(sql_of(t), (std::vector<std::string>{"REVOKE ALL ON TABLE s.t FROM alice",
                                                 "GRANT SELECT ON TABLE s.t TO alice",
                                                 "GRANT UPDATE ON TABLE s.t TO bob"}));
}

TEST(PrivilegeDdl, GrantOptionsAndOtherGrantors) {
  AclObject t = object_of(AclObjectKind::kTable, "s.t", "", "alice",
              std::vector<std::string>{"alice=arwdDxt/alice", "lead=r*w/alice", "\"Data Reader\"=r/lead"});
  EXPECT_EQ(sql_of(t), (std::vector<std::string>{"GRANT UPDATE ON TABLE s.t TO lead",
                                                 "GRANT SELECT ON TABLE s.t TO lead WITH GRANT OPTION",
                                                 "GRANT SELECT ON TABLE s.t TO \"Data Reader\""}));
}

TEST(PrivilegeDdl, ColumnsAndSequencesAndTypesAndSchemas) {
  AclObject c = object_of(AclObjectKind::kColumn, "s.t", "\"Note\"", "alice", std::vector<std::string>{"reader=rw/alice"});
  const auto column = privilege_statements(c);
  ASSERT_EQ(column.size(), 1u);
  EXPECT_EQ(column[0].sql, "GRANT SELECT (\"Note\"), UPDATE (\"Note\") ON TABLE s.t TO reader");
  EXPECT_EQ(column[0].object, "column \"Note\" of TABLE s.t");
  EXPECT_EQ(column[0].privileges, "SELECT, UPDATE");

  AclObject q = object_of(AclObjectKind::kSequence, "s.q", "", "alice",
              std::vector<std::string>{"alice=rwU/alice", "app=U/alice"});
  EXPECT_EQ(sql_of(q), (std::vector<std::string>{"GRANT USAGE ON SEQUENCE s.q TO app"}));

  AclObject ty = object_of(AclObjectKind::kType, "s.mood", "", "alice", std::vector<std::string>{"alice=U/alice"});
  EXPECT_EQ(sql_of(ty), (std::vector<std::string>{"REVOKE ALL ON TYPE s.mood FROM PUBLIC"}));

  AclObject sc = object_of(AclObjectKind::kSchema, "s", "", "alice", std::vector<std::string>{"alice=UC/alice", "=U/alice"});
  EXPECT_EQ(sql_of(sc), (std::vector<std::string>{"GRANT USAGE ON SCHEMA s TO PUBLIC"}));
}

TEST(PrivilegeSteps, CatalogEntriesNameTheObjectOnTheTarget) {
  catalog::PrivilegeEntry f{"1255:1", "function", "Big S", "f", "x integer, y text", "", "alice", {"alice=X/alice"}};
  AclObject object = plan::acl_object(f, "Big S", "f");
  EXPECT_EQ(object.kind, AclObjectKind::kFunction);
  EXPECT_EQ(object.target, "\"Big S\".f(x integer, y text)");
  EXPECT_EQ(sql_of(object), (std::vector<std::string>{"REVOKE ALL ON FUNCTION \"Big S\".f(x integer, y text) FROM PUBLIC"}));

  catalog::PrivilegeEntry c{"1259:2", "column", "s", "t", "", "Note", "alice", {"bob=r/alice"}};
  object = plan::acl_object(c, "s", "t_copy");  // table() may rename the table
  EXPECT_EQ(sql_of(object), (std::vector<std::string>{"GRANT SELECT (\"Note\") ON TABLE s.t_copy TO bob"}));

  catalog::PrivilegeEntry schema{"2615:3", "schema", "s", "s", "", "", "alice", {"alice=UC/alice", "bob=U/alice"}};
  EXPECT_EQ(sql_of(plan::acl_object(schema, "s", "s")), (std::vector<std::string>{"GRANT USAGE ON SCHEMA s TO bob"}));

  catalog::PrivilegeEntry procedure{"1255:4", "procedure", "s", "p", "", "", "alice", {}};
  EXPECT_EQ(sql_of(plan::acl_object(procedure, "s", "p")),
            (std::vector<std::string>{"REVOKE ALL ON PROCEDURE s.p() FROM CURRENT_USER", "REVOKE ALL ON PROCEDURE s.p() FROM PUBLIC"}));
}

}  // namespace
}  // namespace pgclone::agent::ddl
