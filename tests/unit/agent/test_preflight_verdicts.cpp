// pgclone.preflight()'s judgements with injected numbers: versions, locks,
// free space, encodings, the report's shape, and the check that the data
// directory the agent sees is the target's own.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "preflight/free_space.h"
#include "preflight/report.h"
#include "preflight/verdicts.h"

namespace pgclone::agent::preflight {
namespace {

TEST(PreflightVersions, SameMajorIsOk) {
  const Verdict v = judge_versions(150004, 150010);
  EXPECT_EQ(v.status, Status::kOk);
  EXPECT_NE(v.message.find("15.4"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("15.10"), std::string::npos) << v.message;
}

TEST(PreflightVersions, NewerSourceMajorIsAWarning) {
  const Verdict v = judge_versions(160002, 150010);
  EXPECT_EQ(v.status, Status::kWarning);
  EXPECT_NE(v.message.find("16.2"), std::string::npos) << v.message;
  EXPECT_EQ(judge_versions(150000, 140009).status, Status::kWarning);
}

TEST(PreflightVersions, OlderSourceIsOk) {
  EXPECT_EQ(judge_versions(130011, 150004).status, Status::kOk);
  EXPECT_EQ(judge_versions(90624, 150004).status, Status::kOk);
  EXPECT_EQ(version_shown(90624), "9.6.24");
  EXPECT_EQ(version_shown(150004), "15.4");
}

TEST(PreflightVersions, OldStyleMajorsCompareByTwoParts) {
  // 9.6 vs 9.5: different majors before PostgreSQL 10.
  EXPECT_EQ(judge_versions(90600, 90500).status, Status::kWarning);
  EXPECT_EQ(judge_versions(90624, 90601).status, Status::kOk);
  EXPECT_NE(judge_versions(90624, 90601).message.find("PostgreSQL 9.6 "), std::string::npos);
  EXPECT_NE(judge_versions(150004, 150010).message.find("PostgreSQL 15 "), std::string::npos);
}

LockSettings small_server() {
  LockSettings s;
  s.max_locks_per_transaction = 10;
  s.max_connections = 5;
  s.max_prepared_transactions = 0;
  s.autovacuum_max_workers = 1;
  s.max_worker_processes = 0;
  s.max_wal_senders = 0;
  return s;
}

TEST(PreflightLocks, TableSizeCountsEveryBackendSlot) {
  EXPECT_EQ(small_server().slots(), 10 * (5 + 1 + 1));
  LockSettings defaults;
  EXPECT_EQ(defaults.slots(), 64 * (100 + 3 + 1 + 8 + 10));
  defaults.max_prepared_transactions = 5;
  EXPECT_EQ(defaults.slots(), 64 * (100 + 3 + 1 + 8 + 10 + 5));
}

TEST(PreflightLocks, Thresholds) {
  const LockSettings s = small_server();
  EXPECT_EQ(judge_locks(10, s).status, Status::kOk);
  EXPECT_EQ(judge_locks(11, s).status, Status::kWarning);
  EXPECT_EQ(judge_locks(70, s).status, Status::kWarning);
  const Verdict over = judge_locks(71, s);
  EXPECT_EQ(over.status, Status::kError);
  EXPECT_NE(over.message.find("71 locks"), std::string::npos) << over.message;
  EXPECT_NE(over.message.find("max_locks_per_transaction"), std::string::npos) << over.message;
}

TEST(PreflightSpace, UnknownIsInfoNeverAGuess) {
  const Verdict v = judge_space(1 << 20, std::nullopt, "the agent runs elsewhere");
  EXPECT_EQ(v.status, Status::kInfo);
  EXPECT_NE(v.message.find("unknown"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("the agent runs elsewhere"), std::string::npos) << v.message;
}

TEST(PreflightSpace, Thresholds) {
  const std::int64_t gb = 1024LL * 1024 * 1024;
  EXPECT_EQ(judge_space(gb, 10 * gb).status, Status::kOk);
  EXPECT_EQ(judge_space(8 * gb, 10 * gb).status, Status::kOk);
  EXPECT_EQ(judge_space(8 * gb + 1, 10 * gb).status, Status::kWarning);
  EXPECT_EQ(judge_space(10 * gb, 10 * gb).status, Status::kError);
  const Verdict v = judge_space(20 * gb, 10 * gb);
  EXPECT_EQ(v.status, Status::kError);
  EXPECT_NE(v.message.find("20.0 GB"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("10.0 GB"), std::string::npos) << v.message;
  EXPECT_EQ(judge_space(0, 0).status, Status::kError);  // a full disk takes not even an empty schema's catalog
}

TEST(PreflightSpace, BytesShown) {
  EXPECT_EQ(bytes_shown(512), "512 bytes");
  EXPECT_EQ(bytes_shown(1536), "1.5 kB");
  EXPECT_EQ(bytes_shown(3LL * 1024 * 1024 * 1024 * 1024), "3.0 TB");
}

TEST(PreflightEncodings, Verdicts) {
  EXPECT_EQ(judge_encodings("UTF8", "UTF8").status, Status::kOk);
  EXPECT_EQ(judge_encodings("LATIN1", "UTF8").status, Status::kOk);
  EXPECT_EQ(judge_encodings("UTF8", "LATIN1").status, Status::kWarning);
  EXPECT_EQ(judge_encodings("LATIN1", "WIN1252").status, Status::kWarning);
  EXPECT_EQ(judge_encodings("SQL_ASCII", "UTF8").status, Status::kWarning);
  EXPECT_NE(judge_encodings("UTF8", "LATIN1").message.find("22P05"), std::string::npos);
}

TEST(PreflightReport, ShapeAndReadiness) {
  Report report("sales");
  report.add("a", Status::kOk, "fine", {{"n", 1}});
  report.add("b", Status::kWarning, "careful");
  report.add("c", Status::kInfo, "by the way");
  report.note("a note");
  nlohmann::json out = nlohmann::json::parse(report.json());
  EXPECT_EQ(out["schema"], "sales");
  EXPECT_TRUE(out["ready"].get<bool>());
  EXPECT_EQ(out["summary"]["checks_run"], 3);
  EXPECT_EQ(out["summary"]["errors"], 0);
  EXPECT_EQ(out["summary"]["warnings"], 1);
  EXPECT_EQ(out["summary"]["info"], 2);
  EXPECT_EQ(out["warnings"][0], "careful");
  EXPECT_EQ(out["info"][1], "a note");
  EXPECT_EQ(out["checks"]["a"]["status"], "ok");
  EXPECT_EQ(out["checks"]["a"]["n"], 1);

  report.add("d", Status::kError, "broken");
  out = nlohmann::json::parse(report.json());
  EXPECT_FALSE(out["ready"].get<bool>());
  EXPECT_EQ(out["errors"][0], "broken");
  EXPECT_EQ(out["summary"]["checks_run"], 4);
  // A check reported again replaces the earlier one.
  report.add("d", Status::kOk, "mended");
  out = nlohmann::json::parse(report.json());
  EXPECT_TRUE(out["ready"].get<bool>());
  EXPECT_EQ(out["summary"]["checks_run"], 4);
}

TEST(PreflightFreeSpace, PostmasterPidMustNameTheSameCluster) {
  const std::string pid = "4242\n/var/lib/pg/data\n1765000000\n5432\n/tmp\n*\n  5432001  1\nready   \n";
  EXPECT_TRUE(postmaster_pid_matches(pid, "/var/lib/pg/data", 1765000000, 5432));
  EXPECT_FALSE(postmaster_pid_matches(pid, "/var/lib/pg/other", 1765000000, 5432));
  EXPECT_TRUE(postmaster_pid_matches(pid, "/var/lib/pg/data", 1765000003, 5432));   // set up a little later
  EXPECT_FALSE(postmaster_pid_matches(pid, "/var/lib/pg/data", 1764999999, 5432));  // before its pid file
  EXPECT_FALSE(postmaster_pid_matches(pid, "/var/lib/pg/data", 1765003600, 5432));  // another cluster there
  EXPECT_FALSE(postmaster_pid_matches(pid, "/var/lib/pg/data", 1765000000, 5433));
  EXPECT_FALSE(postmaster_pid_matches("4242\n/var/lib/pg/data\n", "/var/lib/pg/data", 1765000000, 5432));
  EXPECT_FALSE(postmaster_pid_matches("", "", 0, 0));
}

}  // namespace
}  // namespace pgclone::agent::preflight
