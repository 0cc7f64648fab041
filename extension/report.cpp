// PostgreSQL frame: turns plain error/notice fields into ereport() calls.
#include "pg_headers.h"

#include "report.h"

#include "agent_client.h"

namespace pgclone::extension {
namespace {

bool present(const char* s) { return s != nullptr && s[0] != '\0'; }

bool sqlstate_char_ok(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

}  // namespace

int sqlstate_from_text(const char* s) {
  if (s == nullptr) return ERRCODE_INTERNAL_ERROR;
  for (int i = 0; i < 5; ++i) {
    if (!sqlstate_char_ok(s[i])) return ERRCODE_INTERNAL_ERROR;
  }
  if (s[5] != '\0') return ERRCODE_INTERNAL_ERROR;
  // Classes 00 (success), 01 (warning) and 02 (no data) are not errors.
  if (s[0] == '0' && (s[1] == '0' || s[1] == '1' || s[1] == '2')) return ERRCODE_INTERNAL_ERROR;
  return MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
}

void report_error(const char* sqlstate, const char* message, const char* detail,
                  const char* hint, const char* context) {
  ereport(ERROR,
          (errcode(sqlstate_from_text(sqlstate)),
           errmsg_internal("%s", present(message) ? message : "pgclone agent reported an error"),
           present(detail) ? errdetail_internal("%s", detail) : 0,
           present(hint) ? errhint("%s", hint) : 0,
           present(context) ? errcontext("%s", context) : 0));
  pg_unreachable();
}

void report_client_error(const ClientError& error) {
  report_error(error.sqlstate, error.message, error.detail, error.hint, error.context);
}

void report_notice(const ClientNotice& notice) {
  const int level =
      (notice.level != nullptr && pg_strcasecmp(notice.level, "warning") == 0) ? WARNING : NOTICE;
  ereport(level, (errmsg_internal("%s", present(notice.message) ? notice.message : ""),
                  present(notice.detail) ? errdetail_internal("%s", notice.detail) : 0));
}

}  // namespace pgclone::extension
