#include "discover/value_sample.h"

#include <cstdio>

#include "ddl/sql_text.h"
#include "discover/guarded_read.h"

namespace pgclone::agent::discover {

std::string sample_query(const CandidateTable& table, const std::string& column) {
  const std::string c = ddl::quote_ident(column);
  std::string from = table.from;
  if (table.bytes > kFullReadBytes) {
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.6f",
                  100.0 * static_cast<double>(kSampledBytes) / static_cast<double>(table.bytes));
    from += std::string(" TABLESAMPLE SYSTEM (") + percent + ")";
  }
  return "SELECT pg_catalog.left((" + c + ")::pg_catalog.text, " + std::to_string(kSampleChars) + ") FROM " + from +
         " WHERE " + c + " IS NOT NULL LIMIT " + std::to_string(kSampleValues);
}

std::optional<protocol::ValueTally> sample_values(pg::Connection& source, jobs::Job& job, const CandidateTable& table,
                                                  const std::string& column, std::string& why) {
  std::optional<pg::Result> rows = guarded_read(source, job, sample_query(table, column), why);
  if (!rows) return std::nullopt;
  protocol::ValueTally tally;
  for (int i = 0; i < rows->rows(); ++i) tally.add(rows->get(i, 0));
  return tally;
}

}  // namespace pgclone::agent::discover
