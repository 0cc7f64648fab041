#include <gtest/gtest.h>

#include "ddl/policy_ddl.h"
#include "ddl/view_ddl.h"

using namespace pgclone::agent;
using catalog::ViewDefinition;

namespace {

ViewDefinition live_customers() {
  ViewDefinition v;
  v.schema = "sales";
  v.name = "live customers";
  v.relkind = 'v';
  v.query = " SELECT customers.id,\n    customers.status\n   FROM sales.customers";
  v.reloptions = {{"security_barrier", "true"}, {"check_option", "cascaded"}};
  v.comment = "live ones";
  v.columns = {{"id", "bigint", std::nullopt, std::nullopt, std::nullopt},
               {"status", "sales.order_status", std::nullopt, std::string("'new'::sales.order_status"),
                std::string("current status")}};
  return v;
}

}  // namespace

TEST(ViewDdl, ViewWithOptionsDefaultsAndComments) {
  EXPECT_EQ(ddl::view_statements(live_customers()),
            (std::vector<std::string>{
                "CREATE VIEW sales.\"live customers\" WITH (security_barrier='true', check_option='cascaded') AS\n"
                " SELECT customers.id,\n    customers.status\n   FROM sales.customers",
                "ALTER VIEW sales.\"live customers\" ALTER COLUMN status SET DEFAULT 'new'::sales.order_status",
                "COMMENT ON VIEW sales.\"live customers\" IS 'live ones'",
                "COMMENT ON COLUMN sales.\"live customers\".status IS 'current status'"}));
}

TEST(ViewDdl, PlaceholderThenReplace) {
  ViewDefinition v = live_customers();
  v.columns[0].collation = "pg_catalog.\"C\"";
  v.columns[0].type = "text";
  EXPECT_EQ(ddl::view_placeholder_statements(v),
            (std::vector<std::string>{"CREATE VIEW sales.\"live customers\" AS\n SELECT NULL::text COLLATE "
                                      "pg_catalog.\"C\" AS id, NULL::sales.order_status AS status"}));
  EXPECT_EQ(ddl::view_statements(v, true)[0].substr(0, 50), "CREATE OR REPLACE VIEW sales.\"live customers\" WITH");
}

TEST(ViewDdl, MaterializedViewWithNoDataIndexesAndRefresh) {
  ViewDefinition m;
  m.schema = "sales";
  m.name = "customer_stats";
  m.relkind = 'm';
  m.query = " SELECT orders.customer_id\n   FROM sales.orders";
  m.comment = "nightly";
  catalog::IndexDefinition x;
  x.name = "customer_stats_pk";
  x.definition = "CREATE UNIQUE INDEX customer_stats_pk ON sales.customer_stats USING btree (customer_id)";
  x.clustered = true;
  x.comment = "one row per customer";
  EXPECT_EQ(ddl::view_statements(m),
            (std::vector<std::string>{"CREATE MATERIALIZED VIEW sales.customer_stats AS\n SELECT orders.customer_id\n"
                                      "   FROM sales.orders\n  WITH NO DATA",
                                      "COMMENT ON MATERIALIZED VIEW sales.customer_stats IS 'nightly'"}));
  EXPECT_EQ(ddl::matview_index_statements(m, x),
            (std::vector<std::string>{x.definition, "ALTER MATERIALIZED VIEW sales.customer_stats CLUSTER ON customer_stats_pk",
                                      "COMMENT ON INDEX sales.customer_stats_pk IS 'one row per customer'"}));
  EXPECT_EQ(ddl::matview_refresh_statement(m), "REFRESH MATERIALIZED VIEW sales.customer_stats");
}

TEST(PolicyDdl, RowSecurityPoliciesAndRules) {
  catalog::RowSecurity rls{"1", true, true};
  EXPECT_EQ(ddl::row_security_statements(rls, "sales.customers"),
            (std::vector<std::string>{"ALTER TABLE sales.customers ENABLE ROW LEVEL SECURITY",
                                      "ALTER TABLE sales.customers FORCE ROW LEVEL SECURITY"}));
  catalog::PolicyDefinition all;
  all.name = "customers_all";
  all.using_expr = "true";
  all.check_expr = "((balance)::numeric >= (0)::numeric)";
  EXPECT_EQ(ddl::policy_statements(all, "sales.customers"),
            (std::vector<std::string>{"CREATE POLICY customers_all ON sales.customers USING (true) WITH CHECK "
                                      "(((balance)::numeric >= (0)::numeric))"}));
  catalog::PolicyDefinition restrictive;
  restrictive.name = "Ünï restrict";
  restrictive.permissive = false;
  restrictive.command = 'w';
  restrictive.roles = {"sales_reader", "\"Ünï Auditor\""};
  restrictive.using_expr = "(created > now())";
  restrictive.comment = "updates";
  EXPECT_EQ(ddl::policy_statements(restrictive, "sales.customers"),
            (std::vector<std::string>{"CREATE POLICY \"Ünï restrict\" ON sales.customers AS RESTRICTIVE FOR UPDATE TO "
                                      "sales_reader, \"Ünï Auditor\" USING ((created > now()))",
                                      "COMMENT ON POLICY \"Ünï restrict\" ON sales.customers IS 'updates'"}));
  catalog::RuleDefinition rule{"9", "1", "no_delete",
                               "CREATE RULE no_delete AS\n    ON DELETE TO sales.audit_log DO INSTEAD NOTHING", 'D',
                               std::string("kept")};
  EXPECT_EQ(ddl::rule_statements(rule, "sales.audit_log"),
            (std::vector<std::string>{rule.definition, "ALTER TABLE sales.audit_log DISABLE RULE no_delete",
                                      "COMMENT ON RULE no_delete ON sales.audit_log IS 'kept'"}));
}
