// PostgreSQL frame: named sources (see named_source.h) and the validator of
// the pgclone foreign-data wrapper.
#include "pg_headers.h"

#include "named_source.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_fdw_validator);
}

namespace pgclone::extension {
namespace {

// Credentials belong to user mappings (readable by their role and superusers
// only), everything else to the server, as with dblink.
bool is_mapping_option(const char* keyword) {
  return strcmp(keyword, "user") == 0 || strcmp(keyword, "password") == 0 || strcmp(keyword, "sslpassword") == 0;
}

// libpq's keywords minus the debug ones and those pgclone sets itself.
bool is_server_option(const char* keyword) {
  if (is_mapping_option(keyword)) return false;
  static const char* const kOwn[] = {"client_encoding", "replication", "fallback_application_name", "dbname_pgclone"};
  for (const char* own : kOwn) {
    if (strcmp(keyword, own) == 0) return false;
  }
  PQconninfoOption* defaults = PQconndefaults();
  if (defaults == nullptr) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
  bool found = false;
  for (const PQconninfoOption* o = defaults; o->keyword != nullptr; ++o) {
    if (strcmp(o->keyword, keyword) == 0 && strchr(o->dispchar, 'D') == nullptr) found = true;
  }
  PQconninfoFree(defaults);
  return found;
}

void append_option(StringInfo buf, const char* keyword, const char* value) {
  if (buf->len > 0) appendStringInfoChar(buf, ' ');
  appendStringInfo(buf, "%s='", keyword);
  for (const char* p = value; *p != '\0'; ++p) {
    if (*p == '\'' || *p == '\\') appendStringInfoChar(buf, '\\');
    appendStringInfoChar(buf, *p);
  }
  appendStringInfoChar(buf, '\'');
}

}  // namespace

bool is_server_name(const char* text) {
  return strchr(text, '=') == nullptr && strncmp(text, "postgres://", 11) != 0 &&
         strncmp(text, "postgresql://", 13) != 0 && text[0] != '\0';
}

char* named_source_conninfo(const char* name) {
  ForeignServer* server = GetForeignServerByName(name, true);
  if (server == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("server \"%s\" does not exist", name),
                    errhint("The source is either a connection string (keyword=value or a URI) or the name of a "
                            "server of the pgclone foreign-data wrapper.")));
  }
  ForeignDataWrapper* wrapper = GetForeignDataWrapper(server->fdwid);
  if (strcmp(wrapper->fdwname, "pgclone") != 0) {
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("server \"%s\" does not use the pgclone foreign-data wrapper", name)));
  }
  if (pg_foreign_server_aclcheck(server->serverid, GetUserId(), ACL_USAGE) != ACLCHECK_OK) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("permission denied for foreign server %s", name)));
  }
  UserMapping* mapping = GetUserMapping(GetUserId(), server->serverid);  // 42704 when there is none
  StringInfoData buf;
  initStringInfo(&buf);
  ListCell* cell;
  foreach (cell, server->options) {
    DefElem* option = lfirst_node(DefElem, cell);
    append_option(&buf, option->defname, defGetString(option));
  }
  foreach (cell, mapping->options) {
    DefElem* option = lfirst_node(DefElem, cell);
    append_option(&buf, option->defname, defGetString(option));
  }
  return buf.data;
}

}  // namespace pgclone::extension

extern "C" Datum pgclone_fdw_validator(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  List* options = untransformRelOptions(PG_GETARG_DATUM(0));
  const Oid catalog = PG_GETARG_OID(1);
  ListCell* cell;
  foreach (cell, options) {
    DefElem* option = lfirst_node(DefElem, cell);
    const char* name = option->defname;
    if (catalog == ForeignServerRelationId) {
      if (is_mapping_option(name)) {
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                        errmsg("option \"%s\" is not allowed for a server of the pgclone wrapper", name),
                        errhint("Put credentials in a user mapping: CREATE USER MAPPING FOR role SERVER server "
                                "OPTIONS (user '...', password '...').")));
      }
      if (!is_server_option(name)) {
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME), errmsg("invalid option \"%s\"", name),
                        errhint("A server of the pgclone wrapper takes libpq connection keywords such as host, "
                                "port, dbname and sslmode.")));
      }
    } else if (catalog == UserMappingRelationId) {
      if (!is_mapping_option(name)) {
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                        errmsg("option \"%s\" is not allowed for a user mapping of the pgclone wrapper", name),
                        errhint("A user mapping takes user, password and sslpassword; the server takes the rest.")));
      }
    } else if (catalog == ForeignDataWrapperRelationId) {
      ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME), errmsg("invalid option \"%s\"", name),
                      errhint("The pgclone wrapper itself takes no options; give them to its servers.")));
    }
  }
  PG_RETURN_VOID();
}
