#pragma once
// Extensions installed in a schema that conflict=replace/rename moves aside.
//
// An extension exists once per database, so it cannot be both in the old
// schema (moved aside as <name>_old or <name>_replaced_<job>) and in the new
// one the clone creates under the same name, where the clone's objects look
// for it. So the extension moves with the name, not with the old schema:
// right after the clone created the new schema (in the same transaction),
// ALTER EXTENSION ... SET SCHEMA brings it in; objects elsewhere that use it
// (the old tables, columns in other schemas) refer to it by OID and keep
// working. replace drops the old schema only after that, so CASCADE never
// takes the extension along; a failed clone moves it back into the old schema
// before dropping the new one.

#include <string>
#include <vector>

#include "pg/connection.h"
#include "pgclone/protocol/clone_options.h"

namespace pgclone::agent::clone {

// Names of the extensions installed in `schema` (pg_extension.extnamespace),
// sorted. Throws, before anything is changed, when one of them cannot be
// relocated (0A000: relocatable = false in its control file) or the calling
// role does not own it (42501: ALTER EXTENSION ... SET SCHEMA would refuse).
std::vector<std::string> extensions_to_relocate(pg::Connection& target, const std::string& schema,
                                                protocol::ConflictMode mode);

// ALTER EXTENSION ... SET SCHEMA `to` for each of `extensions` that lives in
// schema `from` now; the others are left alone, so running it again (resume,
// an undo after the relocation rolled back) changes nothing.
void move_extensions(pg::Connection& target, const std::vector<std::string>& extensions, const std::string& from,
                     const std::string& to);

}  // namespace pgclone::agent::clone
