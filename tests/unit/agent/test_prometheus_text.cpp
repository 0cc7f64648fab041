// The metrics endpoint's text: Prometheus exposition format 0.0.4.
#include <gtest/gtest.h>

#include "ops/prometheus_text.h"

namespace pgclone::agent::ops {
namespace {

TEST(PrometheusText, FamiliesSamplesAndEscapedLabels) {
  PrometheusText out;
  out.family("pgclone_jobs", "gauge", "Jobs by state.");
  out.sample("pgclone_jobs", 3, {{"state", "running"}});
  out.sample("pgclone_worker_slots", 2, {{"worker", "w\"1\\\n"}, {"a", "b"}});
  out.sample("pgclone_age_seconds", 0.25);
  out.sample("pgclone_rows", 123456789012.0);
  EXPECT_EQ(out.text(),
            "# HELP pgclone_jobs Jobs by state.\n"
            "# TYPE pgclone_jobs gauge\n"
            "pgclone_jobs{state=\"running\"} 3\n"
            "pgclone_worker_slots{a=\"b\",worker=\"w\\\"1\\\\\\n\"} 2\n"
            "pgclone_age_seconds 0.25\n"
            "pgclone_rows 123456789012\n");
}

}  // namespace
}  // namespace pgclone::agent::ops
