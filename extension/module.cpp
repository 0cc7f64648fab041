// PostgreSQL frame: module magic and the GUCs. _PG_init never touches ZeroMQ
// (it may run in the postmaster before fork); the client is created lazily by
// the first call that needs the agent.
#include "pg_headers.h"

#include <climits>

#include "pgclone/protocol/version.h"
#include "settings.h"

extern "C" {

PG_MODULE_MAGIC;

char* pgclone_agent_endpoint = nullptr;
int pgclone_agent_timeout_ms = 30000;
char* pgclone_target_conninfo = nullptr;

PGDLLEXPORT void _PG_init(void);

}  // extern "C"

namespace {

bool starts_with(const char* s, const char* prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool check_agent_endpoint(char** newval, void** /*extra*/, GucSource /*source*/) {
  const char* value = *newval;
  if (value == nullptr || value[0] == '\0') {
    GUC_check_errdetail("pgclone.agent_endpoint must not be empty.");
    return false;
  }
  if (!starts_with(value, "tcp://") && !starts_with(value, "ipc://")) {
    GUC_check_errdetail("pgclone.agent_endpoint must be a ZeroMQ endpoint such as "
                        "tcp://127.0.0.1:5599 or ipc:///run/pgclone/agent.sock.");
    return false;
  }
  return true;
}

// Keywords are appended to the value, which only works for the keyword=value
// form of a conninfo, not for a URI.
bool check_target_conninfo(char** newval, void** /*extra*/, GucSource /*source*/) {
  const char* value = *newval;
  if (value != nullptr &&
      (starts_with(value, "postgresql://") || starts_with(value, "postgres://"))) {
    GUC_check_errdetail("pgclone.target_conninfo must use the keyword=value form "
                        "(for example host=db.example.com port=5432), not a URI.");
    return false;
  }
  return true;
}

}  // namespace

extern "C" void _PG_init(void) {
  DefineCustomStringVariable(
      "pgclone.agent_endpoint", "ZeroMQ endpoint of the pgclone agent.",
      "tcp://HOST:PORT or ipc:///PATH. An ipc:// socket must be writable by the "
      "PostgreSQL server's OS user.",
      &pgclone_agent_endpoint, pgclone::protocol::kDefaultEndpoint, PGC_USERSET, 0,
      check_agent_endpoint, nullptr, nullptr);

  DefineCustomIntVariable(
      "pgclone.agent_timeout",
      "How long to wait for the pgclone agent before giving up.",
      "A call fails when no message at all arrives from the agent for this long; a running "
      "job sends progress at least every second, so long clones do not time out.",
      &pgclone_agent_timeout_ms, 30000, 1000, INT_MAX, PGC_USERSET, GUC_UNIT_MS, nullptr,
      nullptr, nullptr);

  DefineCustomStringVariable(
      "pgclone.target_conninfo",
      "libpq connection keywords the agent uses to reach this server.",
      "Empty means this server's first unix_socket_directories entry (127.0.0.1 if there is "
      "none) and its port. dbname and user are always appended by pgclone. Set it when the "
      "agent runs on another host.",
      &pgclone_target_conninfo, "", PGC_SUSET, GUC_SUPERUSER_ONLY, check_target_conninfo, nullptr,
      nullptr);

  MarkGUCPrefixReserved("pgclone");
}
