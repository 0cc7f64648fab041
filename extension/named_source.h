#pragma once
// PostgreSQL frame only (include pg_headers.h first): named sources, foreign
// servers of the pgclone wrapper whose user mappings hold the credentials.

namespace pgclone::extension {

// True when text names a server rather than being a connection string (no
// "=" and no URI scheme).
bool is_server_name(const char* text);

// The connection string of server `name` for the current role: the server's
// options and the role's user mapping (or PUBLIC's). Ereports 42704 (no such
// server, no mapping), 42809 (not a pgclone server) or 42501 (no USAGE).
// palloc'd.
char* named_source_conninfo(const char* name);

}  // namespace pgclone::extension
