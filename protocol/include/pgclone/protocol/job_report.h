#pragma once
// How a job is reported to users: the progress JSON of pgclone.progress() and
// pgclone.jobs(), the percentage and progress bar of pgclone.jobs_view. Kept
// here so the format is defined (and tested) once.

#include <cstdint>
#include <string>
#include <vector>

#include "pgclone/protocol/messages.h"

namespace pgclone::protocol {

// Tracks data volume: bytes copied against the source's estimated size (the
// estimate is the relations' on-disk size, so it is capped below 100 until
// the job has completed); table count only when no estimate exists.
double percent_complete(const JobInfo& job);

// "00:08:30"; hours keep counting past 24.
std::string elapsed_text(std::int64_t elapsed_ms);

// "[████████████░░░░░░░░] 60.0% | 450000 rows | 00:08:30 elapsed" (20 cells).
std::string progress_bar(double percent, std::int64_t rows, std::int64_t elapsed_ms);

// "w1: 12 tables, w2: 11 tables": where a job's tables were loaded
// (jobs_view.hosts); "" for a job of an agent without worker agents.
std::string hosts_text(const JobInfo& job);

// pgclone.progress(job): {job_id, status, phase, tables_completed, tables_total,
// rows_copied, bytes_copied, current_table, elapsed_ms[, error]} plus the
// details pgclone adds (op_type, schema, table, pct_complete, source, …).
std::string job_json(const JobInfo& job);
// pgclone.jobs(): an array of job_json objects.
std::string jobs_json(const std::vector<JobInfo>& jobs);

}  // namespace pgclone::protocol
