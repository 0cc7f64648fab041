#include "clone/analyze.h"

namespace pgclone::agent::clone {

void analyze_loaded_table(jobs::Job& job, pg::Connection& target, const std::string& qualified_table) {
  try {
    target.exec("ANALYZE " + qualified_table);
  } catch (const pg::PgError& e) {
    job.add_notice("warning", "could not analyze " + qualified_table + ": " + e.message);
  }
}

}  // namespace pgclone::agent::clone
