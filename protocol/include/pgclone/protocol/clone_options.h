#pragma once
// The options JSON of the clone functions, parsed into a typed struct. Unknown
// keys, wrong types and malformed JSON are errors naming the key: a typo must
// never be silently ignored.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pgclone/protocol/mask_rules.h"
#include "pgclone/protocol/sample_options.h"

namespace pgclone::protocol {

enum class ConflictMode { kError, kSkip, kReplace, kRename };

// What happens to the source's GRANTs (option "privileges"). Revocations
// (REVOKE from PUBLIC or from the owner) are applied in every mode, so a
// clone is never more open than its source.
enum class PrivilegesMode {
  kClone,             // true: every grant; a missing grantee fails the call up front (42704)
  kSkipMissingRoles,  // "skip_missing_roles": grants to missing roles are skipped with a WARNING
  kNone,              // false: no GRANT is applied
};

// Who owns what a clone creates (option "owner").
enum class OwnerMode {
  kCaller,  // "caller" (the default): the calling role
  kSource,  // "source": the object's owner on the source (which must exist on the target and be
            // a role the caller may assign: 42704/42501 up front otherwise)
};

const char* conflict_mode_name(ConflictMode mode);

// What "exclude_kinds" may name: "subscriptions" (database clones: a copy
// would replicate as soon as it exists), "event_triggers" (schema clones:
// an event trigger belongs to the database, even when its function is in a
// cloned schema; database clones bring them unless excluded) and
// "tablespaces" (every clone: relations and indexes in a non-default
// tablespace are created in the target's default one).
inline constexpr const char* kExcludableKinds[] = {"event_triggers", "subscriptions", "tablespaces"};

// Which clone function the options are for; some keys only make sense for one.
// kSample: table_sample() and schema_sample(), schema-like clones whose rows
// are a referentially consistent sample (sample_options.h).
enum class CloneScope { kTable, kSchema, kDatabase, kSample };

struct CloneOptions {
  bool indexes = true;
  bool constraints = true;
  bool triggers = true;
  bool matviews = true;
  std::optional<std::vector<std::string>> columns;
  std::optional<std::string> where;
  ConflictMode conflict = ConflictMode::kError;
  std::vector<std::string> tables;          // RE2 patterns, see table_patterns.h
  std::vector<std::string> exclude_tables;  // RE2 patterns, see table_patterns.h
  int parallel = 1;
  bool consistent = true;
  // The default skips grants to roles the target lacks (with a WARNING each)
  // rather than failing: the established pgclone's own suite clones a schema
  // whose grantees exist only on the source cluster, and must pass unchanged.
  PrivilegesMode privileges = PrivilegesMode::kSkipMissingRoles;
  // Types the cloned objects use that live outside what is cloned and are
  // missing on the target: true creates them (and their schemas), false
  // (the default) fails up front with 42704 naming them. Table and schema
  // clones only: a database clone brings every schema anyway.
  bool dependencies = false;
  OwnerMode owner = OwnerMode::kCaller;
  // Kinds of objects in the clone's scope that it never brings, left out on
  // purpose: each of kExcludableKinds at most once. Without it, a scope that
  // holds one of them fails up front (a silent OK with something missing
  // would be a lie).
  std::vector<std::string> exclude_kinds;
  // maintenance_work_mem of the job's target sessions, which build the
  // indexes: a size such as "512MB". Unset (the default): raised to
  // kDefaultIndexBuildMemory unless the server's setting is larger already.
  // Empty (JSON null): the server's setting, untouched.
  std::optional<std::string> maintenance_work_mem;
  // How long one of the job's target sessions may wait for a lock another
  // session holds before the job fails with 55P03; 0: no limit. Unset: the
  // calling session's lock_timeout (CloneRequest.caller_lock_timeout_ms).
  std::optional<std::int64_t> lock_timeout_ms;
  // Masks, evaluated on the source (see mask_sql.h): "mask" of a table clone
  // (its columns), "masks" of schema and database clones.
  ColumnMasks mask;
  MaskSpec masks;
  // table_sample() and schema_sample(): which rows start the sample.
  SampleOptions sample;
  bool masked() const { return !mask.empty() || !masks.empty(); }
};

// What index builds get by default: large enough that the biggest tables'
// sorts stay in memory (pgcopydb uses the same), only taken while sorting.
inline constexpr const char* kDefaultIndexBuildMemory = "1GB";

// SQLSTATE 22023 (invalid_parameter_value) or 0A000 (feature not supported);
// key is the offending option ("" for the options text as a whole).
// detail comes last so that calls written before it existed keep their hint.
struct OptionsError : std::runtime_error {
  OptionsError(std::string sqlstate, std::string key, const std::string& message,
               std::string hint = {}, std::string detail = {})
      : std::runtime_error(message),
        sqlstate(std::move(sqlstate)),
        key(std::move(key)),
        hint(std::move(hint)),
        detail(std::move(detail)) {}
  std::string sqlstate;
  std::string key;
  std::string hint;
  std::string detail;
};

inline constexpr int kMaxParallel = 64;

// The options scope of a clone operation (kOpTable, kOpSchema, ... from
// messages.h); nullopt for an operation this version does not know.
std::optional<CloneScope> scope_for_operation(std::string_view operation);

// Empty or all-blank text means "no options". Throws OptionsError, also for
// text longer than kMaxOptionsBytes or nested deeper than kMaxOptionsDepth
// (limits.h). Needs stack in proportion to neither.
CloneOptions parse_clone_options(std::string_view json, CloneScope scope);

}  // namespace pgclone::protocol
