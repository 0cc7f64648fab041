#pragma once
// Chooses a sample's rows on the source, in the job's snapshot: each starting
// table's starting rows, then every row those reference through foreign keys
// until nothing new is found (a cycle ends because a row is taken once), and
// with children also rows that reference the starting rows (and those found
// so), up to a limit per table. Rows are named by their ctid in the table
// that stores them, which is what the workers that import the same snapshot
// copy them by.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "catalog/foreign_key_graph.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "pgclone/protocol/sample_options.h"

namespace pgclone::agent::sample {

struct SampleRequest {
  std::map<std::string, protocol::StartRows> starts;  // by table oid
  std::int64_t seed = 0;
  std::string method = "BERNOULLI";  // the TABLESAMPLE method of "percent"
  std::int64_t children_limit = 0;  // rows per referencing table; 0: no children
};

// ctids (as text, "(0,1)") by the oid of the table storing them.
using SampledRows = std::map<std::string, std::set<std::string>>;

SampledRows select_sample_rows(pg::Connection& source, jobs::Job& job, const catalog::ForeignKeyGraph& graph,
                               const SampleRequest& request);

// The setting a session reading rows by a ctid filter turns off to read them
// with a TID scan (see row_selection.cpp).
inline constexpr const char* kSeqScanSetting = "enable_seqscan";

// The row filter that copies exactly `ctids` of a table (false for none).
std::string ctid_filter(const std::set<std::string>& ctids);

}  // namespace pgclone::agent::sample
