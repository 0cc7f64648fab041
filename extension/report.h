#pragma once
// Raising errors and notices that arrive as plain fields (from the agent, or
// from the pure C++ side). The one place where such fields become ereport()
// calls. PostgreSQL frame only: include pg_headers.h first.

namespace pgclone::extension {

struct ClientError;
struct ClientNotice;

// The SQLSTATE for five characters [0-9A-Z]; ERRCODE_INTERNAL_ERROR otherwise.
int sqlstate_from_text(const char* sqlstate);

// ereport(ERROR) with exactly these fields (null or "" fields are left out).
[[noreturn]] void report_error(const char* sqlstate, const char* message, const char* detail,
                              const char* hint, const char* context);
[[noreturn]] void report_client_error(const ClientError& error);

// ereport(WARNING) for level "warning", ereport(NOTICE) otherwise.
void report_notice(const ClientNotice& notice);

}  // namespace pgclone::extension
