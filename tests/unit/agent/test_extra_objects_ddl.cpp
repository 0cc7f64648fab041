#include <gtest/gtest.h>

#include "ddl/extra_objects_ddl.h"
#include "ddl/view_ddl.h"

using namespace pgclone::agent;

TEST(ExtraObjectsDdl, StatisticsWithTargetAndComment) {
  catalog::StatisticsDefinition s{"1", "sales", "tickets_0_stats", "2",
                                  "CREATE STATISTICS sales.tickets_0_stats (ndistinct, dependencies) ON title, bucket "
                                  "FROM sales.tickets_0",
                                  500, std::string("correlated")};
  EXPECT_EQ(ddl::statistics_statements(s),
            (std::vector<std::string>{s.definition, "ALTER STATISTICS sales.tickets_0_stats SET STATISTICS 500",
                                      "COMMENT ON STATISTICS sales.tickets_0_stats IS 'correlated'"}));
  s.target = -1;
  s.comment.reset();
  EXPECT_EQ(ddl::statistics_statements(s), (std::vector<std::string>{s.definition}));
}

TEST(ExtraObjectsDdl, IcuAndLibcCollations) {
  catalog::CollationDefinition icu;
  icu.schema = "Ünïcode Schema";
  icu.name = "ci ü";
  icu.provider = 'i';
  icu.deterministic = false;
  icu.icu_locale = "und-u-ks-level2";
  icu.comment = "case-insensitive";
  EXPECT_EQ(ddl::collation_statements(icu),
            (std::vector<std::string>{"CREATE COLLATION \"Ünïcode Schema\".\"ci ü\" (provider = icu, locale = "
                                      "'und-u-ks-level2', deterministic = false)",
                                      "COMMENT ON COLLATION \"Ünïcode Schema\".\"ci ü\" IS 'case-insensitive'"}));
  catalog::CollationDefinition libc;
  libc.schema = "s";
  libc.name = "french";
  libc.collate = "fr_FR.utf8";
  libc.ctype = "fr_FR.utf8";
  EXPECT_EQ(ddl::collation_statements(libc),
            (std::vector<std::string>{"CREATE COLLATION s.french (provider = libc, lc_collate = 'fr_FR.utf8', "
                                      "lc_ctype = 'fr_FR.utf8')"}));
}

TEST(ExtraObjectsDdl, ViewTriggerStateAndComment) {
  catalog::ViewDefinition v;
  v.schema = "sales";
  v.name = "vip";
  catalog::TriggerDefinition t;
  t.name = "vip_insert";
  t.definition = "CREATE TRIGGER vip_insert INSTEAD OF INSERT ON sales.vip FOR EACH ROW EXECUTE FUNCTION sales.f()";
  t.enabled = 'D';
  t.comment = "audit";
  EXPECT_EQ(ddl::view_trigger_statements(v, t),
            (std::vector<std::string>{t.definition, "ALTER TABLE sales.vip DISABLE TRIGGER vip_insert",
                                      "COMMENT ON TRIGGER vip_insert ON sales.vip IS 'audit'"}));
}
