// Names for objects that belong to a table cloned (or moved aside) under a
// different name, following PostgreSQL's own conventions.
#pragma once

#include <cstddef>
#include <set>
#include <string>

namespace pgclone::agent::ddl {

// NAMEDATALEN - 1: longer identifiers are silently truncated by the server.
constexpr std::size_t kMaxIdentifierBytes = 63;

// Cuts to at most max_bytes without splitting a UTF-8 character (as the server
// does with pg_mbcliplen), so the name we plan is the name that gets created.
std::string truncate_identifier(const std::string& name, std::size_t max_bytes = kMaxIdentifierBytes);

// The name of a dependent object (index, constraint, sequence) once its table
// is called target_table instead of source_table: a leading "<source_table>"
// that is the whole name or is followed by '_' is replaced by target_table
// (t_pkey -> t2_pkey); any other name gets "<target_table>_" in front
// (my_idx -> t2_my_idx). The result is truncated to 63 bytes. Requiring the
// '_' boundary keeps table "t" from turning "tags_idx" into "t2ags_idx".
std::string adapt_name(const std::string& name, const std::string& source_table, const std::string& target_table);

// `base` if it is not in `taken`, else base + "1", "2", ... (base truncated so
// the whole stays within 63 bytes), like the server's ChooseRelationName.
std::string make_unique_name(const std::string& base, const std::set<std::string>& taken);

}  // namespace pgclone::agent::ddl
