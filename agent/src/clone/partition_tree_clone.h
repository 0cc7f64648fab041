#pragma once
// pgclone.table() of a partitioned table: the schema planner's steps for the
// partition tree (the table, every partition below it with its bounds,
// partitioned indexes and the partitions' indexes attached to them,
// constraints, triggers, policies, privileges), the sequences its defaults
// use, and every leaf's data — all in one target transaction, like table()
// of a plain table.

#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// Preconditions: `source` is in the job's REPEATABLE READ READ ONLY
// transaction, `target` is open with no transaction. The options "columns"
// and a "target_table_name" other than the source's are refused (0A000);
// "where" filters each leaf, "mask" applies to each leaf. Returns the result
// text; commits `source`'s transaction.
std::string clone_partition_tree(jobs::Job& job, pg::Connection& source, pg::Connection& target,
                                 const std::string& root_oid);

}  // namespace pgclone::agent::clone
