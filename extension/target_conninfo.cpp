// PostgreSQL frame: builds the conninfo the agent uses to reach this database.
#include "pg_headers.h"

#include "target_conninfo.h"

#include "settings.h"

namespace pgclone::extension {
namespace {

// First entry of unix_socket_directories, or nullptr if there is none.
char* first_socket_directory(void) {
  if (Unix_socket_directories == nullptr || Unix_socket_directories[0] == '\0') return nullptr;
  char* raw = pstrdup(Unix_socket_directories);
  List* directories = NIL;
  if (!SplitDirectoriesString(raw, ',', &directories) || directories == NIL) return nullptr;
  return pstrdup(static_cast<char*>(linitial(directories)));
}

}  // namespace

void append_conninfo_value(StringInfo buf, const char* value) {
  appendStringInfoChar(buf, '\'');
  for (const char* p = value; *p != '\0'; ++p) {
    if (*p == '\'' || *p == '\\') appendStringInfoChar(buf, '\\');
    appendStringInfoChar(buf, *p);
  }
  appendStringInfoChar(buf, '\'');
}

char* build_target_conninfo(void) {
  StringInfoData buf;
  initStringInfo(&buf);

  if (pgclone_target_conninfo != nullptr && pgclone_target_conninfo[0] != '\0') {
    appendStringInfoString(&buf, pgclone_target_conninfo);
  } else {
    char* directory = first_socket_directory();
    appendStringInfoString(&buf, "host=");
    append_conninfo_value(&buf, directory != nullptr ? directory : "127.0.0.1");
    appendStringInfo(&buf, " port='%d'", PostPortNumber);
  }

  const char* database = get_database_name(MyDatabaseId);
  if (database == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_DATABASE),
                    errmsg("could not determine the name of the current database")));
  }
  appendStringInfoString(&buf, " dbname=");
  append_conninfo_value(&buf, database);
  appendStringInfoString(&buf, " user=");
  append_conninfo_value(&buf, GetUserNameFromId(GetSessionUserId(), false));
  return buf.data;
}

}  // namespace pgclone::extension
