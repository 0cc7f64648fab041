#pragma once
// How the agent reaches the database this backend is connected to.
// PostgreSQL frame only: include pg_headers.h first.

namespace pgclone::extension {

// libpq-style single-quoted value: backslash-escapes ' and \ (appends to buf).
void append_conninfo_value(StringInfo buf, const char* value);

// pgclone.target_conninfo, or "host='<first unix_socket_directories entry or
// 127.0.0.1>' port='<PostPortNumber>'" when it is empty, followed by
// "dbname='<current database>' user='<session user>'". palloc'd.
char* build_target_conninfo(void);

}  // namespace pgclone::extension
