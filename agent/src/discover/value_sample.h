#pragma once
// A bounded sample of one column's values, tallied by shape on the way in
// (protocol::ValueTally) and forgotten: no value is kept, logged or put in
// a message.

#include <optional>
#include <string>

#include "discover/candidate_tables.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::agent::discover {

// At most this many non-null values per column, each cut to this many
// characters (longer text is no e-mail, phone or name anyway).
inline constexpr int kSampleValues = 1000;
inline constexpr int kSampleChars = 256;
// A table larger than this is read through TABLESAMPLE SYSTEM, about this
// many bytes of its pages.
inline constexpr std::int64_t kFullReadBytes = 64LL << 20;
inline constexpr std::int64_t kSampledBytes = 8LL << 20;

// The SELECT that reads the sample (exposed for its unit test).
std::string sample_query(const CandidateTable& table, const std::string& column);

// nullopt (and `why`) when the sample could not be read (see guarded_read).
std::optional<protocol::ValueTally> sample_values(pg::Connection& source, jobs::Job& job, const CandidateTable& table,
                                                  const std::string& column, std::string& why);

}  // namespace pgclone::agent::discover
