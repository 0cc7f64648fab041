#pragma once
// PostgreSQL frame: argument helpers shared by the clone functions (which are
// not STRICT, so each argument's NULL is handled explicitly) and the one way
// a clone request is sent (waited for, or async). Include pg_headers.h first.

#include "agent_client.h"

namespace pgclone::extension {

// A text argument that must not be NULL (22004 naming it).
char* required_text(FunctionCallInfo fcinfo, int arg, const char* name);
// Same, and not empty (22023).
char* required_identifier(FunctionCallInfo fcinfo, int arg, const char* name);
bool required_bool(FunctionCallInfo fcinfo, int arg, const char* name);
// The options argument when present and not NULL, else nullptr.
const char* optional_text(FunctionCallInfo fcinfo, int arg);
// {"indexes": …, "constraints": …, "triggers": …} for the *_ex functions.
const char* toggles_json(bool indexes, bool constraints, bool triggers);

// Fills the caller and target fields, checks the options locally (before the
// agent is contacted), sends the request, waits, and returns the result text.
Datum run_clone(CloneRequestFields fields);
// The same checks, but submits the job without waiting (wait=false) and
// returns its id as an int4 Datum.
Datum run_clone_async(CloneRequestFields fields);

// A job id from the agent as the SQL API's integer (22003 when out of range).
int32 job_id_to_int4(int64 job_id);

}  // namespace pgclone::extension
