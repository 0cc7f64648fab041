#include <gtest/gtest.h>

#include "ddl/routine_ddl.h"

using namespace pgclone::agent;
using catalog::AggregateDefinition;
using catalog::RoutineDefinition;

TEST(RoutineDdl, FunctionDefinitionAsPrintedAndComment) {
  RoutineDefinition f;
  f.schema = "sales";
  f.name = "net_price";
  f.kind = 'f';
  f.identity_arguments = "gross numeric, discount numeric";
  f.definition = "CREATE OR REPLACE FUNCTION sales.net_price(gross numeric, discount numeric DEFAULT 0)\n"
                 " RETURNS numeric\n LANGUAGE sql\n IMMUTABLE\nRETURN round((gross * ((1)::numeric - discount)), 2)\n";
  f.comment = "price after discount";
  EXPECT_EQ(ddl::routine_statements(f),
            (std::vector<std::string>{f.definition, "COMMENT ON FUNCTION sales.net_price(gross numeric, discount numeric) "
                                                    "IS 'price after discount'"}));
}

TEST(RoutineDdl, ProcedureComment) {
  RoutineDefinition p;
  p.schema = "Ünï";
  p.name = "archive";
  p.kind = 'p';
  p.identity_arguments = "IN cutoff date";
  p.definition = "CREATE OR REPLACE PROCEDURE ...";
  p.comment = "it's housekeeping";
  EXPECT_EQ(ddl::routine_statements(p)[1], "COMMENT ON PROCEDURE \"Ünï\".archive(IN cutoff date) IS 'it''s housekeeping'");
}

TEST(RoutineDdl, NormalAggregateWithMovingStateAndSortOperator) {
  RoutineDefinition f;
  f.schema = "sales";
  f.name = "sum_squares";
  f.kind = 'a';
  f.arguments = "numeric";
  f.identity_arguments = "numeric";
  f.parallel = 's';
  AggregateDefinition a;
  a.transition_function = "sales.square_acc";
  a.state_type = "numeric";
  a.initial_condition = "0";
  a.combine_function = "pg_catalog.numeric_add";
  a.moving_transition_function = "sales.square_acc";
  a.moving_inverse_function = "sales.square_inv";
  a.moving_state_type = "numeric";
  a.moving_initial_condition = "0";
  a.sort_operator = "OPERATOR(pg_catalog.>)";
  f.aggregate = a;
  f.comment = "Σ x²";
  EXPECT_EQ(ddl::routine_statements(f),
            (std::vector<std::string>{"CREATE OR REPLACE AGGREGATE sales.sum_squares(numeric) (\n"
                                      "    SFUNC = sales.square_acc,\n    STYPE = numeric,\n"
                                      "    COMBINEFUNC = pg_catalog.numeric_add,\n    INITCOND = '0',\n"
                                      "    MSFUNC = sales.square_acc,\n    MINVFUNC = sales.square_inv,\n"
                                      "    MSTYPE = numeric,\n    MINITCOND = '0',\n"
                                      "    SORTOP = OPERATOR(pg_catalog.>),\n    PARALLEL = SAFE\n)",
                                      "COMMENT ON AGGREGATE sales.sum_squares(numeric) IS 'Σ x²'"}));
}

TEST(RoutineDdl, OrderedSetAndHypotheticalAggregates) {
  RoutineDefinition f;
  f.schema = "sales";
  f.name = "first_in_order";
  f.kind = 'a';
  f.arguments = "ORDER BY text";
  AggregateDefinition a;
  a.kind = 'o';
  a.transition_function = "sales.keep_first";
  a.state_type = "text";
  a.final_function = "sales.finish";
  a.final_extra = true;
  a.final_modify = 'w';  // the ordered-set default: not printed
  f.aggregate = a;
  EXPECT_EQ(ddl::routine_statements(f)[0],
            "CREATE OR REPLACE AGGREGATE sales.first_in_order(ORDER BY text) (\n    SFUNC = sales.keep_first,\n"
            "    STYPE = text,\n    FINALFUNC = sales.finish,\n    FINALFUNC_EXTRA\n)");
  f.aggregate->kind = 'h';
  f.aggregate->final_modify = 's';
  f.arguments = "VARIADIC \"any\" ORDER BY VARIADIC \"any\"";
  EXPECT_EQ(ddl::routine_statements(f)[0],
            "CREATE OR REPLACE AGGREGATE sales.first_in_order(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (\n"
            "    SFUNC = sales.keep_first,\n    STYPE = text,\n    FINALFUNC = sales.finish,\n"
            "    FINALFUNC_EXTRA,\n    FINALFUNC_MODIFY = SHAREABLE,\n    HYPOTHETICAL\n)");
}

TEST(RoutineDdl, ZeroArgumentAggregateUsesStar) {
  RoutineDefinition f;
  f.schema = "s";
  f.name = "counter";
  f.kind = 'a';
  AggregateDefinition a;
  a.transition_function = "pg_catalog.int8inc";
  a.state_type = "bigint";
  f.aggregate = a;
  f.comment = "c";
  auto out = ddl::routine_statements(f);
  EXPECT_EQ(out[0].substr(0, 39), "CREATE OR REPLACE AGGREGATE s.counter(*");
  EXPECT_EQ(out[1], "COMMENT ON AGGREGATE s.counter(*) IS 'c'");
}
