// PostgreSQL frame: module magic and the GUCs. _PG_init never touches ZeroMQ
// (it may run in the postmaster before fork); the client is created lazily by
// the first call that needs the agent.
#include "pg_headers.h"

#include <climits>

#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/version.h"
#include "settings.h"

extern "C" {

PG_MODULE_MAGIC;

char* pgclone_agent_endpoint = nullptr;
int pgclone_agent_timeout_ms = 30000;
char* pgclone_agent_public_key = nullptr;
char* pgclone_key_file = nullptr;

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

bool check_agent_public_key(char** newval, void** /*extra*/, GucSource /*source*/) {
  const char* value = *newval;
  if (value != nullptr && value[0] != '\0' && !pgclone::protocol::is_curve_key(value)) {
    GUC_check_errdetail("pgclone.agent_public_key must be the 40 characters of Z85 text that "
                        "pgclone-agent prints when it starts.");
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
      &pgclone_agent_endpoint, pgclone::protocol::kDefaultEndpoint, PGC_SUSET, 0,
      check_agent_endpoint, nullptr, nullptr);

  DefineCustomIntVariable(
      "pgclone.agent_timeout",
      "How long to wait for the pgclone agent before giving up.",
      "A call fails when no message at all arrives from the agent for this long; a running "
      "job sends progress at least every second, so long clones do not time out.",
      &pgclone_agent_timeout_ms, 30000, 1000, INT_MAX, PGC_USERSET, GUC_UNIT_MS, nullptr,
      nullptr, nullptr);

  DefineCustomStringVariable(
      "pgclone.agent_public_key", "CURVE public key of the pgclone agent (Z85).",
      "The agent prints it when it starts; calls fail until it is set.",
      &pgclone_agent_public_key, "", PGC_SUSET, 0, check_agent_public_key, nullptr, nullptr);

  // The path only: the key itself is read from the file when the connection
  // to the agent is opened, and never travels in a setting.
  DefineCustomStringVariable(
      "pgclone.key_file", "This server's CURVE key pair for talking to the pgclone agent.",
      "A file made by \"pgclone-agent keygen\", readable only by the server's OS user; its public "
      "key must be enrolled with the agent.",
      &pgclone_key_file, "", PGC_SUSET, GUC_SUPERUSER_ONLY, nullptr, nullptr, nullptr);

  MarkGUCPrefixReserved("pgclone");
}
