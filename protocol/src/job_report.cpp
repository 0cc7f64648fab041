#include "pgclone/protocol/job_report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace pgclone::protocol {
namespace {

constexpr int kBarCells = 20;
constexpr double kRunningCap = 99.9;

nlohmann::json to_json(const JobInfo& job) {
  nlohmann::json out = {
      {"job_id", job.job_id},
      {"status", job.status},
      {"phase", job.phase},
      {"op_type", job.op_type},
      {"schema_name", job.schema_name},
      {"table_name", job.table_name},
      {"tables_completed", job.tables_completed},
      {"tables_total", job.tables_total},
      {"rows_copied", job.rows_copied},
      {"bytes_copied", job.bytes_copied},
      {"bytes_total", job.bytes_total},
      {"pct_complete", percent_complete(job)},
      {"current_table", job.current_table},
      {"elapsed_ms", job.elapsed_ms},
      {"owner", job.owner},
      {"source", job.source},
  };
  if (job.resumed_from != 0) out["resumed_from"] = job.resumed_from;
  if (!job.tables_by_host.empty()) out["hosts"] = job.tables_by_host;
  if (!job.table_hosts.empty()) out["table_hosts"] = job.table_hosts;
  if (job.status == "failed" && !job.error_message.empty()) {
    out["error"] = job.error_message;
    out["error_sqlstate"] = job.error_sqlstate;
  }
  return out;
}

}  // namespace

double percent_complete(const JobInfo& job) {
  if (job.status == "completed") return 100.0;
  double pct = 0.0;
  if (job.bytes_total > 0) {
    pct = 100.0 * static_cast<double>(job.bytes_copied) / static_cast<double>(job.bytes_total);
  } else if (job.tables_total > 0) {
    pct = 100.0 * static_cast<double>(job.tables_completed) / static_cast<double>(job.tables_total);
  }
  return std::clamp(pct, 0.0, kRunningCap);
}

std::string elapsed_text(std::int64_t elapsed_ms) {
  const std::int64_t seconds = std::max<std::int64_t>(elapsed_ms, 0) / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return buffer;
}

std::string progress_bar(double percent, std::int64_t rows, std::int64_t elapsed_ms) {
  percent = std::clamp(percent, 0.0, 100.0);
  const int filled = static_cast<int>(percent / 100.0 * kBarCells + 1e-9);
  std::string bar = "[";
  for (int i = 0; i < kBarCells; ++i) bar += i < filled ? "\u2588" : "\u2591";
  char tail[96];
  std::snprintf(tail, sizeof tail, "] %.1f%% | %lld rows | ", percent, static_cast<long long>(rows));
  return bar + tail + elapsed_text(elapsed_ms) + " elapsed";
}

std::string hosts_text(const JobInfo& job) {
  std::string out;
  for (const auto& [host, tables] : job.tables_by_host) {
    if (!out.empty()) out += ", ";
    out += host + ": " + std::to_string(tables) + (tables == 1 ? " table" : " tables");
  }
  return out;
}

std::string job_json(const JobInfo& job) { return to_json(job).dump(); }

std::string jobs_json(const std::vector<JobInfo>& jobs) {
  nlohmann::json out = nlohmann::json::array();
  for (const JobInfo& job : jobs) out.push_back(to_json(job));
  return out.dump();
}

}  // namespace pgclone::protocol
