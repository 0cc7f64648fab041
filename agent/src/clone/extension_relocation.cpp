#include "clone/extension_relocation.h"

#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {

std::vector<std::string> extensions_to_relocate(pg::Connection& target, const std::string& schema,
                                                protocol::ConflictMode mode) {
  // ALTER EXTENSION ... SET SCHEMA needs the extension's owner (or a member
  // of that role, or a superuser): pg_has_role(..., 'USAGE') is that check.
  pg::Result r = target.query(
      "SELECT e.extname, e.extrelocatable, pg_catalog.pg_has_role(e.extowner, 'USAGE') AS owned"
      " FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
      " WHERE n.nspname = $1 ORDER BY e.extname",
      {schema});
  const std::string conflict = "conflict=" + std::string(protocol::conflict_mode_name(mode));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) {
    const std::string name = r.get(i, "extname");
    if (!r.get_bool(i, "extrelocatable")) {
      throw pg::PgError(protocol::sqlstate::kFeatureNotSupported,
                        "cannot move schema " + ddl::quote_ident(schema) + " aside: extension \"" + name +
                            "\" installed in it cannot be relocated",
                        conflict + " moves the existing schema aside and the extensions installed in it into the "
                                   "new schema of the same name, but extension \"" + name +
                            "\" does not support SET SCHEMA (its control file says relocatable = false).",
                        "Drop the extension or the existing schema first, or clone into another database.");
    }
    if (!r.get_bool(i, "owned")) {
      throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                        "must be owner of extension \"" + name + "\" to clone over schema " +
                            ddl::quote_ident(schema),
                        conflict + " moves extension \"" + name + "\", installed in schema " +
                            ddl::quote_ident(schema) + ", into the new schema of the same name.",
                        "Run the clone as the owner of the extension or as a superuser.");
    }
    out.push_back(name);
  }
  return out;
}

void move_extensions(pg::Connection& target, const std::vector<std::string>& extensions, const std::string& from,
                     const std::string& to) {
  for (const std::string& name : extensions) {
    pg::Result r = target.query(
        "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = $1",
        {name});
    if (r.rows() == 0 || r.get(0, 0) != from) continue;
    try {
      target.exec("ALTER EXTENSION " + ddl::quote_ident(name) + " SET SCHEMA " + ddl::quote_ident(to));
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate,
                        "could not move extension \"" + name + "\" from schema " + ddl::quote_ident(from) +
                            " to schema " + ddl::quote_ident(to) + ": " + e.message,
                        e.detail, e.hint, e.context);
    }
  }
}

}  // namespace pgclone::agent::clone
