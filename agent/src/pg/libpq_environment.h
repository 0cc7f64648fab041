// libpq falls back on PG* environment variables (PGPASSWORD, PGPASSFILE,
// PGSERVICE, PGSSLKEY, PGHOST, ...) for whatever a connection string leaves
// out. Whatever the agent was started with would then be lent to every
// caller's connection, so the agent drops them all before anything connects.
#pragma once

#include <string>
#include <vector>

namespace pgclone::agent::pg {

// Unsets every environment variable whose name starts with "PG" (all libpq
// reads, including ones later versions add) and returns their names. Call it
// before any thread starts: the environment is not thread-safe.
std::vector<std::string> clear_libpq_environment();

}  // namespace pgclone::agent::pg
