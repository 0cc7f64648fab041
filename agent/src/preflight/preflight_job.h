#pragma once
// pgclone.preflight(conninfo, schema) as a job of the agent: would a schema
// clone from the source work, and what stands in its way? Reads both sides,
// each in one REPEATABLE READ READ ONLY transaction, and changes nothing
// (no lock is taken either: the locks a clone needs are counted, not held).
//
// A source that cannot be reached, or that has no such schema, is a failed
// check in the report (ready false), not an SQL error: the report then says
// what else it could check. Cancelling the job still cancels it (57014).

#include <string>

#include "jobs/job.h"

namespace pgclone::agent::preflight {

// The report as JSON text: {schema, ready, summary{errors, warnings, info,
// checks_run}, errors[], warnings[], info[], checks{name: {status, message,
// ...}}}.
std::string preflight(jobs::Job& job);

}  // namespace pgclone::agent::preflight
