// Source connections of callers who are not superusers, held to what dblink
// and postgres_fdw require of them: the caller's own password, sent to a
// server that asks for it. Without these checks the agent would lend a caller
// its OS identity (peer or trust on the local socket), its files (~/.pgpass,
// client keys and certificates, service files) and its Kerberos credentials.
#pragma once

#include <string>

#include "pg/connection.h"

namespace pgclone::agent::pg {

// Before connecting. Throws PgError 42501 for an option that makes libpq use
// the agent's files or identity and for a connection through a Unix-domain
// socket (also the default when no host is given), 2F003 when the string
// carries no password, 22023 when it cannot be parsed.
void check_source_conninfo(const std::string& conninfo);

// After connecting: throws PgError 2F003 unless the server asked for (and
// got) the password. The caller then drops the connection.
void check_source_used_password(const Connection& source);

}  // namespace pgclone::agent::pg
