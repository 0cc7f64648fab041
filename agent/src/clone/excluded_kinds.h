// Honest results: a clone never says OK while something in its scope is
// missing. Kinds of objects a clone does not bring (subscriptions of a
// database; event triggers whose function is in a cloned schema, for a
// schema clone; the placement of relations in non-default tablespaces) fail
// the call up front unless the option "exclude_kinds"
// names them, and the result text lists every kind the options left out.
#pragma once

#include <string>
#include <vector>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// source: inside the job's snapshot, before the target changes. Throws
// 0A000 naming the objects of each kind in scope that is not cloned and not
// excluded.
void check_uncloned_kinds(pg::Connection& source, const jobs::Job& job, bool database_clone,
                          const std::vector<std::string>& schemas);

// table(): the table (a partition tree: every relation of it) and its
// indexes in a non-default tablespace fail with 0A000 unless "exclude_kinds"
// names "tablespaces" (check_uncloned_kinds does the same for schemas).
void check_table_tablespaces(pg::Connection& source, const jobs::Job& job, const std::string& table_oid);

// Whether "exclude_kinds" names `kind` (one of protocol::kExcludableKinds).
bool kind_excluded(const jobs::Job& job, const std::string& kind);

// " (excluded: indexes, triggers, event triggers)": what the options left
// out, for result texts; "" when nothing. Privileges have their own note
// (privileges_result_note).
std::string excluded_result_note(const jobs::Job& job);

}  // namespace pgclone::agent::clone
