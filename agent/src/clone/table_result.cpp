#include "clone/table_result.h"

#include "clone/analyze.h"
#include "clone/excluded_kinds.h"
#include "clone/privilege_filter.h"

namespace pgclone::agent::clone {

std::string plural(std::int64_t n, const char* singular, const char* plural_form) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural_form);
}

void commit_table_clone(jobs::Job& job, pg::Connection& target, const std::string& analyzed) {
  job.set_phase("committing");
  target.exec("COMMIT");
  job.journal().mark_passed("committed");
  if (job.request().include_data) {
    // The clone is committed: a failed ANALYZE must not report it as failed.
    // (Of a partitioned table it samples the tree and analyzes each partition.)
    job.set_phase("analyzing");
    analyze_loaded_table(job, target, analyzed);
  }
}

std::string table_result_tail(const TableResult& r, const jobs::Job& job) {
  std::string out = r.include_data ? ", " + plural(r.rows, "row", "rows") : " (structure only)";
  out += ", " + plural(r.indexes, "index", "indexes") + ", " + plural(r.constraints, "constraint", "constraints") +
         ", " + plural(r.triggers, "trigger", "triggers");
  // Only when some were created, so results of tables without them read as before.
  if (r.sequences_created > 0) out += ", " + plural(r.sequences_created, "sequence", "sequences");
  if (r.types_created > 0) out += ", " + plural(r.types_created, "type", "types");
  return out + privileges_result_note(job) + excluded_result_note(job);
}

}  // namespace pgclone::agent::clone
