#pragma once
// Schema and database clones resolve conflicts per schema: a schema that
// exists on the target and holds objects follows the `conflict` option. What
// was changed is remembered so a failed clone can put it back.

#include <string>
#include <vector>

#include "pg/connection.h"
#include "pgclone/protocol/clone_options.h"

namespace pgclone::agent::clone {

struct SchemaDisposition {
  std::string name;
  bool clone = true;          // false: conflict=skip left it alone
  bool create = true;         // false: an empty schema of that name is reused
  std::string moved_aside_as; // conflict=replace/rename: where the old one went
  bool drop_aside_after = false;  // replace: the old one goes once the clone succeeded
  // Extensions installed in the old schema: they move into the new schema as
  // soon as the clone created it, and back into the old one on undo (see
  // extension_relocation.h).
  std::vector<std::string> relocated_extensions;
};

// What the target holds under that name, as the conflict rules see it: ""
// when there is no such schema, "empty" (no relation, routine or type: it
// is reused), "used" (the `conflict` option decides).
std::string schema_state(pg::Connection& target, const std::string& schema);

// Decides, and for replace/rename moves the existing schemas aside, on the
// target connection (no transaction open). conflict=error throws 42P06 naming
// the schema; an extension in a schema to be moved aside that cannot be
// relocated (0A000) or that the caller does not own (42501) throws before
// anything is changed. Each decision is appended to `out` as soon as it is
// acted on, so a failure half-way can still be undone.
void resolve_schema_conflicts(pg::Connection& target, const std::vector<std::string>& schemas,
                              protocol::ConflictMode mode, std::int64_t job_id,
                              std::vector<SchemaDisposition>& out);

// functions(): no conflict handling (CREATE OR REPLACE); a missing schema is created.
std::vector<SchemaDisposition> schemas_for_functions(pg::Connection& target, const std::vector<std::string>& schemas);

// Dispositions are journaled as checkpoints "disposition:<json>", so a
// resumed job knows what its predecessor created and moved aside.
inline constexpr const char* kDispositionPrefix = "disposition:";
std::string encode_disposition(const SchemaDisposition& disposition);
SchemaDisposition decode_disposition(const std::string& checkpoint);

// Run right after the clone's CREATE SCHEMA of `disposition.name`, inside the
// same transaction: the extensions of the schema moved aside move into it.
void relocate_extensions_into_new_schema(pg::Connection& target, const SchemaDisposition& disposition);

// After success: drops what replace moved aside (its extensions are no longer
// in it, so nothing that uses them elsewhere is dropped).
void finish_schema_conflicts(pg::Connection& target, const std::vector<SchemaDisposition>& dispositions);

// After failure: drops the schemas this clone created and moves the old ones
// back, each in one transaction that first moves relocated extensions back
// into the old schema. Best effort; never throws.
void undo_schema_clone(pg::Connection& target, const std::vector<SchemaDisposition>& dispositions) noexcept;

}  // namespace pgclone::agent::clone
