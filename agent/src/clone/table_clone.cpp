#include "clone/table_clone.h"

#include <algorithm>
#include <set>

#include "catalog/privilege_catalog.h"
#include "catalog/security_label_catalog.h"
#include "catalog/sequence_catalog.h"
#include "catalog/table_catalog.h"
#include "clone/clone_masks.h"
#include "clone/excluded_kinds.h"
#include "clone/job_copy.h"
#include "clone/job_session.h"
#include "clone/partition_tree_clone.h"
#include "clone/table_result.h"
#include "clone/owner_check.h"
#include "clone/privilege_filter.h"
#include "clone/table_dependencies.h"
#include "clone/type_dependencies.h"
#include "copy/copy_relay.h"
#include "copy/copy_statements.h"
#include "ddl/security_label_ddl.h"
#include "ddl/sql_text.h"
#include "ddl/table_ddl.h"
#include "pgclone/protocol/sqlstate.h"
#include "ddl/owner_ddl.h"
#include "plan/privilege_steps.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;
using protocol::ConflictMode;

// relkind of schema.name, or '\0' when nothing has that name.
char relkind_of(pg::Connection& conn, const std::string& schema, const std::string& name) {
  pg::Result r = conn.query(
      "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND c.relname = $2",
      {schema, name});
  return r.rows() == 0 ? '\0' : r.get(0, 0)[0];
}

// The columns the clone keeps: the "columns" option, or all of them.
std::vector<std::string> cloned_columns(const catalog::TableDefinition& definition,
                                        const protocol::CloneOptions& options) {
  if (options.columns) return *options.columns;
  std::vector<std::string> all;
  for (const auto& c : definition.columns) all.push_back(c.name);
  return all;
}

struct ObjectCounts {
  std::int64_t indexes = 0, constraints = 0, triggers = 0;
};

// What actually arrived, read back from the target's catalog.
ObjectCounts count_objects(pg::Connection& target, const std::string& qualified_name) {
  pg::Result r = target.query(
      "SELECT (SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid = $1::regclass),"
      "       (SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = $1::regclass),"
      "       (SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal)",
      {qualified_name});
  return {std::stoll(r.get(0, 0)), std::stoll(r.get(0, 1)), std::stoll(r.get(0, 2))};
}

// Returns false when conflict=skip left the existing table alone.
bool resolve_conflict(pg::Connection& target, jobs::Job& job, const std::string& schema,
                      const std::string& name) {
  const char relkind = relkind_of(target, schema, name);
  if (relkind == '\0') return true;
  const std::string shown = ddl::qualified_name(schema, name);
  const ConflictMode mode = job.options().conflict;
  if (mode == ConflictMode::kSkip) return false;
  if (mode == ConflictMode::kError || relkind != 'r') {
    throw pg::PgError(sqlstate::kDuplicateTable,
                      (relkind == 'r' ? "table " : "relation ") + shown + " already exists on the target",
                      relkind == 'r' ? "" : "It is not an ordinary table, so pgclone will not replace or rename it.",
                      relkind == 'r' ? "Use the \"conflict\" option (skip, replace or rename) to clone it anyway."
                                     : "Drop or rename it first, or clone under another name.");
  }
  if (mode == ConflictMode::kReplace) {
    target.exec("DROP TABLE " + shown);
    job.add_notice("notice", "dropped the existing table " + shown + " on the target to replace it");
    return true;
  }
  catalog::TableDefinition existing = catalog::read_table_definition(target, schema, name);
  std::set<std::string> taken = catalog::relation_names_in_schema(target, schema);
  for (const std::string& statement : ddl::rename_aside_statements(existing, taken)) target.exec(statement);
  job.add_notice("notice", "moved the existing table " + shown + " aside on the target");
  return true;
}

// GRANT/REVOKE statements for the table, its columns (those cloned) and
// the sequences it owns, named as on the target. A renamed table's owned
// sequences get new names, so their privileges are left out (noted).
std::vector<std::vector<ddl::PrivilegeStatement>> table_privileges(pg::Connection& source, jobs::Job& job,
                                                                   const std::string& target_name) {
  const protocol::CloneRequest& request = job.request();
  const std::string source_shown = ddl::qualified_name(request.schema, request.table);
  const std::string table_oid =
      source.query("SELECT $1::pg_catalog.regclass::pg_catalog.oid", {source_shown}).get(0, 0);
  const std::string table_key = "1259:" + table_oid;
  const auto& columns = job.options().columns;
  std::vector<std::vector<ddl::PrivilegeStatement>> out;
  for (const catalog::PrivilegeEntry& entry : catalog::read_table_privileges(source, table_oid)) {
    if (entry.kind == "column" && columns &&
        std::find(columns->begin(), columns->end(), entry.column) == columns->end())
      continue;
    const bool own = entry.key == table_key;
    if (!own && target_name != request.table) {
      job.add_notice("notice", "privileges of sequence " + ddl::qualified_name(entry.schema, entry.name) +
                                   " not cloned: the table is cloned under another name");
      continue;
    }
    ddl::AclObject object = plan::acl_object(entry, entry.schema, own ? target_name : entry.name);
    // The table's owned sequences follow its owner (ALTER TABLE ... OWNER TO).
    object.source_owner = job.options().owner == protocol::OwnerMode::kSource;
    out.push_back(ddl::privilege_statements(object));
  }
  return out;
}

// The source's labels of the table, its columns and the sequences the clone
// created, named as on the target (a renamed table's sequences have other names).
std::vector<std::string> security_label_statements(pg::Connection& target,
                                                   const std::vector<catalog::SecurityLabel>& labels,
                                                   const catalog::TableDefinition& definition,
                                                   const std::string& target_shown, jobs::Job& job,
                                                   const DefaultSequenceSetup& sequences) {
  ddl::TableLabelTarget names;
  names.table_key = "1259:" + definition.oid;
  names.table_sql = target_shown;
  names.columns = cloned_columns(definition, job.options());
  names.created_sequences = sequences.created_names;
  for (const catalog::SecurityLabel& label : labels) {
    if (label.key == names.table_key || label.name.empty() ||
        std::find(names.columns->begin(), names.columns->end(), label.name) == names.columns->end())
      continue;
    pg::Result r = target.query("SELECT pg_catalog.pg_get_serial_sequence($1, $2)", {target_shown, label.name});
    if (!r.is_null(0, 0)) names.owned_sequences[label.name] = r.get(0, 0);
  }
  return ddl::table_security_label_statements(labels, names);
}

}  // namespace

std::string clone_table(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  const protocol::CloneOptions& options = job.options();
  const std::string target_name = request.target_table.empty() ? request.table : request.target_table;
  const std::string source_shown = ddl::qualified_name(request.schema, request.table);
  const std::string target_shown = ddl::qualified_name(request.schema, target_name);
  job.set_tables(1, 0);
  job.set_current_table(source_shown);

  if (job.journal().passed("committed")) {
    // The job this one resumes had committed the clone before its agent stopped.
    job.set_tables(1, 1);
    return "OK: cloned " + source_shown + (target_name != request.table ? " as " + target_shown : "") +
           " (completed by job " + std::to_string(job.resumed_from()) + " before the agent stopped)";
  }
  job.set_phase("connecting");
  pg::Connection source = open_source(request.source_conninfo, job);
  InterruptRegistration source_interrupt(job, source);
  pg::Connection target = open_target(job.target_conninfo(), job);
  InterruptRegistration target_interrupt(job, target);
  throw_if_stopped(job);

  // One snapshot for the catalog and the data; the lock keeps the table's
  // definition from changing under us, as pg_dump does.
  job.set_phase("reading catalog");
  source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const char source_relkind = relkind_of(source, request.schema, request.table);
  if (source_relkind == '\0') {
    throw pg::PgError(sqlstate::kUndefinedTable, "source table " + source_shown + " does not exist");
  }
  if (source_relkind == 'p') {
    const std::string oid =
        source.query("SELECT $1::pg_catalog.regclass::pg_catalog.oid", {source_shown}).get(0, 0);
    check_table_tablespaces(source, job, oid);
    return clone_partition_tree(job, source, target, oid);
  }
  // Other kinds are refused with 0A000 by read_table_definition (LOCK TABLE
  // would refuse a foreign table first, with a less helpful 42809).
  if (source_relkind == 'r') source.exec("LOCK TABLE " + source_shown + " IN ACCESS SHARE MODE");
  const catalog::TableDefinition definition =
      catalog::read_table_definition(source, request.schema, request.table);
  check_table_tablespaces(source, job, definition.oid);
  const CloneMasks masks = CloneMasks::for_table(job, source, definition);
  const std::vector<catalog::DefaultSequence> default_sequences =
      catalog::read_default_sequences(source, definition.oid, cloned_columns(definition, options));
  job.set_bytes_total(std::stoll(
      source.query("SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass)", {source_shown}).get(0, 0)));

  // Before the target is changed: grantees missing there fail the call now.
  const auto privileges = table_privileges(source, job, target_name);
  const std::vector<DefaultSequenceFinish> sequence_finishes =
      default_sequence_finishes(default_sequences, options.owner == protocol::OwnerMode::kSource);
  const std::vector<catalog::SecurityLabel> labels = catalog::read_table_security_labels(source, definition.oid);
  std::vector<const ddl::PrivilegeStatement*> all_privileges;
  for (const auto& object : privileges)
    for (const auto& s : object) all_privileges.push_back(&s);
  for (const DefaultSequenceFinish& finish : sequence_finishes)
    for (const auto& s : finish.privileges) all_privileges.push_back(&s);
  const PrivilegeFilter privilege_filter(target, all_privileges, options.privileges);
  TypeDependencies types =
      TypeDependencies::for_relations(source, {definition.oid}, options.columns.value_or(std::vector<std::string>{}));
  types.check_target(target, options.dependencies, "table " + source_shown);
  std::string source_owner;
  if (options.owner == protocol::OwnerMode::kSource) {
    source_owner = source.query("SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class"
                                " WHERE oid = $1::pg_catalog.regclass", {source_shown}).get(0, 0);
    std::set<std::string> owners{source_owner};
    for (const DefaultSequenceFinish& finish : sequence_finishes) owners.insert(finish.owner);  // all set: kSource
    check_owners_assignable(target, owners, job);
  }

  job.set_phase("creating table");
  target.exec("BEGIN");
  ensure_target_schema(target, request.schema, job);
  if (!resolve_conflict(target, job, request.schema, target_name)) {
    target.exec("ROLLBACK");
    source.exec("COMMIT");
    job.set_tables(1, 1);
    return "SKIPPED: table " + target_shown + " already exists on the target";
  }

  const int types_created = types.create_missing(target, job);
  // Sequences the defaults call exist before the table that names them.
  const DefaultSequenceSetup sequences = create_default_sequences(target, job, default_sequences);

  ddl::TableDdlOptions ddl_options;
  ddl_options.target_schema = request.schema;
  ddl_options.target_table = target_name;
  ddl_options.include_indexes = options.indexes;
  ddl_options.include_constraints = options.constraints;
  ddl_options.include_triggers = options.triggers;
  ddl_options.columns = options.columns;
  ddl_options.taken_relation_names = catalog::relation_names_in_schema(target, request.schema);
  const ddl::TableDdlPlan plan = ddl::plan_table_ddl(definition, ddl_options);
  for (const std::string& note : plan.notices) job.add_notice("notice", note);
  for (const std::string& statement : plan.pre_data) target.exec(statement);
  throw_if_stopped(job);

  copy::CopyStats stats;
  if (request.include_data) {
    job.set_phase("copying data");
    std::string select = plan.source_copy_select;
    if (options.where) select += " WHERE (" + *options.where + "\n)";
    if (auto masked = masks.copy_select(request.schema, request.table, plan.copy_columns, plan.source_from, options.where))
      select = *masked;
    // FREEZE: the table was created in this transaction, so its rows can be
    // written frozen and need no vacuum to be visible to everyone.
    const copy::CopyStatements statements =
        copy::copy_statements({select, plan.whole_table_copy ? plan.source_from : ""}, target_shown, plan.copy_columns, plan.binary_copy);
    log::debug("job ", job.id(), ": ", statements.source);
    stats = relay_for_job(job, source, statements.source, target, statements.target);
  }
  source.exec("COMMIT");
  throw_if_stopped(job);

  // Indexes, constraints and triggers after the data: faster, and no trigger
  // fires during the load.
  job.set_phase("building indexes");
  for (const std::string& statement : plan.post_data) target.exec(statement);
  for (const std::string& statement : sequences.positions) target.exec(statement);
  if (!source_owner.empty()) target.exec(ddl::alter_owner_sql("TABLE", target_shown, source_owner));
  for (const auto& object : privileges)
    for (const std::string& statement : privilege_filter.choose(object, job)) target.exec(statement);
  for (const DefaultSequenceFinish& finish : sequence_finishes) {
    if (!sequences.created_names.count(finish.sequence)) continue;  // the target's own, kept as it is
    if (!finish.owner.empty()) target.exec(ddl::alter_owner_sql("SEQUENCE", finish.sequence, finish.owner));
    for (const std::string& statement : privilege_filter.choose(finish.privileges, job)) target.exec(statement);
  }
  // The provider must be loaded on the target: else the server's 22023.
  for (const std::string& statement : security_label_statements(target, labels, definition, target_shown, job, sequences))
    target.exec(statement);
  const ObjectCounts counts = count_objects(target, target_shown);
  throw_if_stopped(job);
  commit_table_clone(job, target, target_shown);
  job.set_tables(1, 1);

  std::string result = "OK: cloned " + source_shown;
  if (target_name != request.table) result += " as " + target_shown;
  return result + table_result_tail({request.include_data, stats.rows, counts.indexes, counts.constraints,
                                     counts.triggers, sequences.created, types_created},
                                    job);
}

}  // namespace pgclone::agent::clone
