#include <gtest/gtest.h>

#include "ddl/sequence_ddl.h"
#include "ddl/type_ddl.h"

using namespace pgclone::agent;
using catalog::TypeDefinition;

TEST(TypeDdl, EnumKeepsLabelOrderAndQuotes) {
  TypeDefinition t;
  t.schema = "Ünïcode Schema";
  t.name = "Mööd";
  t.kind = 'e';
  t.labels = {"😀", "meh", "it's ok"};
  t.comment = "how it feels";
  EXPECT_EQ(ddl::type_statements(t),
            (std::vector<std::string>{"CREATE TYPE \"Ünïcode Schema\".\"Mööd\" AS ENUM ('😀', 'meh', 'it''s ok')",
                                      "COMMENT ON TYPE \"Ünïcode Schema\".\"Mööd\" IS 'how it feels'"}));
}

TEST(TypeDdl, DomainWithConstraintsNotValidOnesAfterwards) {
  TypeDefinition t;
  t.schema = "sales";
  t.name = "money_amount";
  t.kind = 'd';
  t.base_type = "numeric(12,2)";
  t.default_expr = "0";
  t.not_null = true;
  t.collation = std::nullopt;
  t.constraints = {{"money_amount_nonnegative", "CHECK ((VALUE >= (0)::numeric))", true, std::string("no debts"), "16501"},
                   {"money_amount_sane", "CHECK ((VALUE < (1000000000)::numeric)) NOT VALID", false, std::nullopt, "16502"}};
  EXPECT_EQ(ddl::type_statements(t),
            (std::vector<std::string>{
                "CREATE DOMAIN sales.money_amount AS numeric(12,2) DEFAULT 0 NOT NULL\n"
                "    CONSTRAINT money_amount_nonnegative CHECK ((VALUE >= (0)::numeric))",
                "ALTER DOMAIN sales.money_amount ADD CONSTRAINT money_amount_sane CHECK ((VALUE < "
                "(1000000000)::numeric)) NOT VALID",
                "COMMENT ON CONSTRAINT money_amount_nonnegative ON DOMAIN sales.money_amount IS 'no debts'"}));
}

TEST(TypeDdl, DomainCollation) {
  TypeDefinition t;
  t.schema = "sales";
  t.name = "email";
  t.kind = 'd';
  t.base_type = "public.citext";
  t.collation = "pg_catalog.\"C\"";
  t.comment = "mail";
  EXPECT_EQ(ddl::type_statements(t),
            (std::vector<std::string>{"CREATE DOMAIN sales.email AS public.citext COLLATE pg_catalog.\"C\"",
                                      "COMMENT ON DOMAIN sales.email IS 'mail'"}));
}

TEST(TypeDdl, CompositeWithCollationsAndAttributeComments) {
  TypeDefinition t;
  t.schema = "sales";
  t.name = "address";
  t.kind = 'c';
  t.attributes = {{"street", "text", std::string("pg_catalog.\"C\""), std::nullopt},
                  {"Zip Code", "character varying(10)", std::nullopt, std::string("postal code")}};
  EXPECT_EQ(ddl::type_statements(t),
            (std::vector<std::string>{"CREATE TYPE sales.address AS (\n    street text COLLATE pg_catalog.\"C\",\n"
                                      "    \"Zip Code\" character varying(10)\n)",
                                      "COMMENT ON COLUMN sales.address.\"Zip Code\" IS 'postal code'"}));
}

TEST(TypeDdl, RangeWithEveryOption) {
  TypeDefinition t;
  t.schema = "sales";
  t.name = "float_range";
  t.kind = 'r';
  t.subtype = "double precision";
  t.subtype_opclass = "sales.float_ops";
  t.range_collation = std::nullopt;
  t.subtype_diff = "float8mi";
  t.multirange = "sales.float_multirange";
  EXPECT_EQ(ddl::type_statements(t),
            (std::vector<std::string>{"CREATE TYPE sales.float_range AS RANGE (\n    SUBTYPE = double precision,\n"
                                      "    SUBTYPE_OPCLASS = sales.float_ops,\n    SUBTYPE_DIFF = float8mi,\n"
                                      "    MULTIRANGE_TYPE_NAME = sales.float_multirange\n)"}));
  t.subtype = "text";
  t.subtype_opclass.reset();
  t.subtype_diff.reset();
  t.range_collation = "pg_catalog.\"C\"";
  EXPECT_EQ(ddl::type_statements(t)[0], "CREATE TYPE sales.float_range AS RANGE (\n    SUBTYPE = text,\n"
                                        "    COLLATION = pg_catalog.\"C\",\n"
                                        "    MULTIRANGE_TYPE_NAME = sales.float_multirange\n)");
}

TEST(SequenceDdl, EveryParameterAndPosition) {
  catalog::SequenceDefinition s;
  s.schema = "sales";
  s.name = "invoice_no";
  s.type = "integer";
  s.start = 1000;
  s.increment = 7;
  s.min_value = 10;
  s.max_value = 99999999;
  s.cache = 3;
  s.cycle = true;
  s.unlogged = true;
  s.last_value = 1028;
  s.is_called = true;
  s.comment = "invoice numbers";
  EXPECT_EQ(ddl::sequence_statements(s),
            (std::vector<std::string>{"CREATE UNLOGGED SEQUENCE sales.invoice_no AS integer START WITH 1000 INCREMENT "
                                      "BY 7 MINVALUE 10 MAXVALUE 99999999 CACHE 3 CYCLE",
                                      "COMMENT ON SEQUENCE sales.invoice_no IS 'invoice numbers'"}));
  EXPECT_EQ(ddl::sequence_value_statement(s), "SELECT pg_catalog.setval('sales.invoice_no', 1028, true)");
  s.is_called = false;
  s.name = "Séq \"1\"";
  EXPECT_EQ(ddl::sequence_value_statement(s), "SELECT pg_catalog.setval('sales.\"Séq \"\"1\"\"\"', 1028, false)");
}
