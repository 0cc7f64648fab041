#include "clone/table_result.h"

#include "clone/privilege_filter.h"

namespace pgclone::agent::clone {

std::string plural(std::int64_t n, const char* singular, const char* plural_form) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural_form);
}

std::string table_result_tail(const TableResult& r, const jobs::Job& job) {
  std::string out = r.include_data ? ", " + plural(r.rows, "row", "rows") : " (structure only)";
  out += ", " + plural(r.indexes, "index", "indexes") + ", " + plural(r.constraints, "constraint", "constraints") +
         ", " + plural(r.triggers, "trigger", "triggers");
  // Only when some were created, so results of tables without them read as before.
  if (r.sequences_created > 0) out += ", " + plural(r.sequences_created, "sequence", "sequences");
  if (r.types_created > 0) out += ", " + plural(r.types_created, "type", "types");
  return out + privileges_result_note(job);
}

}  // namespace pgclone::agent::clone
