// PostgreSQL frame: pgclone.version() and pgclone.agent_status().
#include "pg_headers.h"

#include "agent_call.h"
#include "pgclone/protocol/version.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_version);
PG_FUNCTION_INFO_V1(pgclone_agent_status);
}

// pgclone.version() -> 'pgclone X.Y.Z'; needs no agent.
extern "C" Datum pgclone_version(PG_FUNCTION_ARGS) {
  PG_RETURN_TEXT_P(cstring_to_text(psprintf("pgclone %s", pgclone::protocol::kProductVersion)));
}

// pgclone.agent_status() -> the agent's status document (JSON text).
extern "C" Datum pgclone_agent_status(PG_FUNCTION_ARGS) {
  char* json = pgclone::extension::agent_call_status();
  PG_RETURN_TEXT_P(cstring_to_text(json));
}
