#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/job_report.h"

namespace pgclone::protocol {
namespace {

JobInfo running(std::int64_t copied, std::int64_t total) {
  JobInfo job;
  job.job_id = 3;
  job.status = "running";
  job.bytes_copied = copied;
  job.bytes_total = total;
  job.tables_total = 4;
  job.tables_completed = 1;
  return job;
}

TEST(JobReport, PercentFollowsDataVolumeNotTables) {
  EXPECT_DOUBLE_EQ(percent_complete(running(600, 1000)), 60.0);
  EXPECT_DOUBLE_EQ(percent_complete(running(0, 1000)), 0.0);
  // The estimate is the on-disk size: a running job never shows 100%.
  EXPECT_DOUBLE_EQ(percent_complete(running(5000, 1000)), 99.9);
  JobInfo done = running(500, 1000);
  done.status = "completed";
  EXPECT_DOUBLE_EQ(percent_complete(done), 100.0);
  EXPECT_DOUBLE_EQ(percent_complete(running(0, 0)), 25.0);  // no estimate: tables
}

TEST(JobReport, ElapsedText) {
  EXPECT_EQ(elapsed_text(0), "00:00:00");
  EXPECT_EQ(elapsed_text(510999), "00:08:30");
  EXPECT_EQ(elapsed_text(26LL * 3600 * 1000), "26:00:00");
  EXPECT_EQ(elapsed_text(-5), "00:00:00");
}

TEST(JobReport, ProgressBarHasTheDocumentedShape) {
  EXPECT_EQ(progress_bar(60.0, 450000, 510000),
            "[\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
            "\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591] 60.0% | 450000 rows | 00:08:30 elapsed");
  const std::string empty = progress_bar(0, 0, 0);
  EXPECT_EQ(empty.find("\u2588"), std::string::npos);
  const std::string full = progress_bar(100, 1, 1000);
  EXPECT_EQ(full.find("\u2591"), std::string::npos);
  EXPECT_NE(full.find("100.0%"), std::string::npos);
}

TEST(JobReport, JsonCarriesTheDocumentedKeysAndErrorOnlyWhenFailed) {
  JobInfo job = running(10, 100);
  job.current_table = "public.t";
  auto doc = nlohmann::json::parse(job_json(job));
  for (const char* key : {"job_id", "status", "phase", "tables_completed", "tables_total", "rows_copied",
                          "bytes_copied", "current_table", "elapsed_ms"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_FALSE(doc.contains("error"));
  job.status = "cancelled";
  job.error_message = "pgclone job 3 was cancelled";
  EXPECT_FALSE(nlohmann::json::parse(job_json(job)).contains("error")) << "only failed jobs carry an error";
  job.status = "failed";
  job.error_message = "boom";
  job.error_sqlstate = "42P01";
  doc = nlohmann::json::parse(job_json(job));
  EXPECT_EQ(doc["error"], "boom");
  const auto list = nlohmann::json::parse(jobs_json({job, running(1, 2)}));
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(jobs_json({})).size(), 0u);
}

}  // namespace
}  // namespace pgclone::protocol
