#include <gtest/gtest.h>

#include "ddl/base_type_ddl.h"
#include "ddl/conversion_ddl.h"
#include "ddl/operator_ddl.h"
#include "ddl/text_search_ddl.h"
#include "plan/object_kind_steps.h"

using namespace pgclone::agent;

TEST(ObjectKindsDdl, BaseTypeAfterItsShell) {
  catalog::BaseTypeDefinition t;
  t.schema = "shop";
  t.name = "int_box";
  t.input = "shop.int_box_in";
  t.output = "shop.int_box_out";
  t.send = "shop.int_box_send";
  t.length = 4;
  t.by_value = true;
  t.category = "N";
  t.default_value = "0";
  t.comment = "boxed";
  EXPECT_EQ(ddl::shell_type_statement(t), "CREATE TYPE shop.int_box");
  EXPECT_EQ(ddl::base_type_statements(t),
            (std::vector<std::string>{"CREATE TYPE shop.int_box (\n    INTERNALLENGTH = 4,\n    INPUT = shop.int_box_in,\n"
                                      "    OUTPUT = shop.int_box_out,\n    SEND = shop.int_box_send,\n    DEFAULT = '0',\n"
                                      "    PASSEDBYVALUE,\n    CATEGORY = 'N',\n    ALIGNMENT = int4,\n    STORAGE = plain\n)",
                                      "COMMENT ON TYPE shop.int_box IS 'boxed'"}));
  t.shell = true;
  t.comment.reset();
  EXPECT_EQ(ddl::base_type_statements(t), (std::vector<std::string>{"CREATE TYPE shop.int_box"}));
}

TEST(ObjectKindsDdl, OperatorWithLinksAndPrefixComment) {
  catalog::OperatorDefinition o;
  o.schema = "Lager ü";
  o.name = "<";
  o.left_type = "integer";
  o.right_type = "integer";
  o.function = "public.lt";
  o.commutator = "OPERATOR(\"Lager ü\".>)";
  o.merges = true;
  o.restrict_function = "pg_catalog.scalarltsel";
  EXPECT_EQ(ddl::operator_statements(o)[0],
            "CREATE OPERATOR \"Lager ü\".< (\n    FUNCTION = public.lt,\n    LEFTARG = integer,\n    RIGHTARG = integer,\n"
            "    COMMUTATOR = OPERATOR(\"Lager ü\".>),\n    MERGES,\n    RESTRICT = pg_catalog.scalarltsel\n)");
  o.left_type.clear();
  o.comment = "minus";
  EXPECT_EQ(ddl::operator_statements(o)[1], "COMMENT ON OPERATOR \"Lager ü\".< (NONE, integer) IS 'minus'");
}

TEST(ObjectKindsDdl, OperatorClassAndLooseFamilyMembers) {
  catalog::OperatorFamilyMember op{"1", true, 1, "shop.<(shop.b,shop.b)", "", "", ""};
  catalog::OperatorFamilyMember fn{"2", false, 1, "shop.cmp(shop.b,shop.b)", "shop.b", "shop.b", ""};
  catalog::OperatorClassDefinition c{"3", "shop", "b_ops", "btree", "shop.b", true, "shop.b_fam", "", {op, fn}, {}};
  EXPECT_EQ(ddl::operator_class_statements(c),
            (std::vector<std::string>{"CREATE OPERATOR CLASS shop.b_ops DEFAULT FOR TYPE shop.b USING btree FAMILY "
                                      "shop.b_fam AS\n    OPERATOR 1 shop.<(shop.b,shop.b),\n"
                                      "    FUNCTION 1 (shop.b, shop.b) shop.cmp(shop.b,shop.b)"}));
  catalog::OperatorFamilyDefinition f{"4", "shop", "b_fam", "btree", {}, std::string("fam")};
  EXPECT_TRUE(ddl::operator_family_member_statements(f).empty());
  EXPECT_EQ(ddl::operator_family_statements(f),
            (std::vector<std::string>{"CREATE OPERATOR FAMILY shop.b_fam USING btree",
                                      "COMMENT ON OPERATOR FAMILY shop.b_fam USING btree IS 'fam'"}));
  op.sort_family = "shop.other";
  f.loose_members = {op};
  EXPECT_EQ(ddl::operator_family_member_statements(f),
            (std::vector<std::string>{"ALTER OPERATOR FAMILY shop.b_fam USING btree ADD\n"
                                      "    OPERATOR 1 shop.<(shop.b,shop.b) FOR ORDER BY shop.other"}));
}

TEST(ObjectKindsDdl, TextSearchConfigurationWithMappings) {
  catalog::TextSearchDefinition d;
  d.schema = "shop";
  d.name = "search";
  d.parser = "shop.parser";
  d.mappings = {{"asciiword", "shop.a, shop.b"}, {"int", "simple"}};
  d.comment = "it's";
  EXPECT_EQ(ddl::text_search_statements(d),
            (std::vector<std::string>{"CREATE TEXT SEARCH CONFIGURATION shop.search (\n    PARSER = shop.parser\n)",
                                      "ALTER TEXT SEARCH CONFIGURATION shop.search ADD MAPPING FOR asciiword WITH shop.a, shop.b",
                                      "ALTER TEXT SEARCH CONFIGURATION shop.search ADD MAPPING FOR \"int\" WITH simple",
                                      "COMMENT ON TEXT SEARCH CONFIGURATION shop.search IS 'it''s'"}));
  d = {};
  d.kind = 'd';
  d.schema = "shop";
  d.name = "dict";
  d.template_name = "pg_catalog.snowball";
  d.options = "language = 'english'";
  EXPECT_EQ(ddl::text_search_statements(d)[0],
            "CREATE TEXT SEARCH DICTIONARY shop.dict (\n    TEMPLATE = pg_catalog.snowball,\n    language = 'english'\n)");
}

TEST(ObjectKindsDdl, ConversionsCastsTransforms) {
  catalog::ConversionDefinition c{"1", "shop", "l2u", "LATIN1", "UTF8", "pg_catalog.iso8859_1_to_utf8", true, {}};
  EXPECT_EQ(ddl::conversion_statements(c)[0],
            "CREATE DEFAULT CONVERSION shop.l2u FOR 'LATIN1' TO 'UTF8' FROM pg_catalog.iso8859_1_to_utf8");
  catalog::CastDefinition cast{"2", "core.tier", "integer", 'f', "core.rank(core.tier)", 'a', std::string("rank")};
  EXPECT_EQ(ddl::cast_statements(cast),
            (std::vector<std::string>{"CREATE CAST (core.tier AS integer) WITH FUNCTION core.rank(core.tier) AS ASSIGNMENT",
                                      "COMMENT ON CAST (core.tier AS integer) IS 'rank'"}));
  cast.method = 'i';
  cast.context = 'i';
  EXPECT_EQ(ddl::cast_statements(cast)[0], "CREATE CAST (core.tier AS integer) WITH INOUT AS IMPLICIT");
  catalog::TransformDefinition t{"3", "core.tier", "plpgsql", "", "core.to(internal)", {}};
  EXPECT_EQ(ddl::transform_statements(t),
            (std::vector<std::string>{"CREATE TRANSFORM FOR core.tier LANGUAGE plpgsql (\n    TO SQL WITH FUNCTION core.to(internal)\n)"}));
}

TEST(ObjectKindsDdl, AccessMethodKeptWhenTheSameExists) {
  catalog::AccessMethodDefinition am{"1", "my heap", 't', "pg_catalog.heap_tableam_handler", {}};
  EXPECT_EQ(ddl::access_method_statements(am),
            (std::vector<std::string>{
                "DO $pgclone$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_am WHERE amname = 'my heap' AND amtype = 't'"
                " AND amhandler = 'pg_catalog.heap_tableam_handler'::pg_catalog.regproc) THEN CREATE ACCESS METHOD "
                "\"my heap\" TYPE TABLE HANDLER pg_catalog.heap_tableam_handler; END IF; END$pgclone$"}));
}

TEST(ObjectKindsPlan, IoFunctionsWaitOnlyForTheShell) {
  std::vector<catalog::DependencyEdge> edges{
      {"1255:10", "1247:20", false},  // int_box_in returns the type
      {"1247:20", "1255:10", false},  // the type names int_box_in
      {"1255:11", "1247:20", false},  // an SQL function over the type: needs the full type
      {"1259:30", "1247:20", false},  // a table column of the type
  };
  auto routed = plan::route_io_functions_to_shell_types(edges);
  EXPECT_EQ(routed[0].referenced, "shell:1247:20");
  EXPECT_EQ(routed[1].referenced, "1255:10");
  EXPECT_EQ(routed[2].referenced, "1247:20");
  EXPECT_EQ(routed[3].referenced, "1247:20");
}
