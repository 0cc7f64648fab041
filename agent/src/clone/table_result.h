// The end of table()'s result text, the same for a plain table and a
// partition tree: rows (or "structure only"), what arrived with them, and
// what the clone had to create or leave out.
#pragma once

#include <cstdint>
#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

struct TableResult {
  bool include_data = true;
  std::int64_t rows = 0;
  std::int64_t indexes = 0, constraints = 0, triggers = 0;  // read back from the target
  std::int64_t sequences_created = 0, types_created = 0;
};

// ", 12 rows, 2 indexes, 3 constraints, 0 triggers[, 1 sequence][, 1 type]"
// followed by the privileges note, if any.
std::string table_result_tail(const TableResult& result, const jobs::Job& job);

// Commits the target transaction of a table() clone, records that in the
// journal (a resumed job then reports instead of redoing), and ANALYZEs
// `analyzed` when data was loaded; a failed ANALYZE no longer fails the clone.
void commit_table_clone(jobs::Job& job, pg::Connection& target, const std::string& analyzed);

// "1 row", "2 rows".
std::string plural(std::int64_t n, const char* singular, const char* plural_form);

}  // namespace pgclone::agent::clone
