#include "clone/partition_tree_clone.h"

#include <set>

#include "catalog/sequence_catalog.h"
#include "catalog/table_catalog.h"
#include "clone/clone_masks.h"
#include "clone/fk_validation.h"
#include "clone/job_copy.h"
#include "clone/job_session.h"
#include "clone/privilege_filter.h"
#include "clone/snapshot.h"
#include "clone/step_runner.h"
#include "clone/table_dependencies.h"
#include "clone/table_result.h"
#include "clone/tree_conflict.h"
#include "clone/type_dependencies.h"
#include "copy/copy_statements.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/schema_planner.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;

// Options that name or cut the table cannot be carried over to a tree whose
// partitions are separate relations with keys of their own.
void refuse_unsupported_options(const jobs::Job& job, const std::string& shown) {
  const protocol::CloneRequest& request = job.request();
  if (job.options().columns) {
    throw pg::PgError(sqlstate::kFeatureNotSupported,
                      "option \"columns\" is not supported for partitioned table " + shown,
                      "Every partition must have the columns of its partitioned table.",
                      "Clone the whole table, or clone single partitions with \"columns\".");
  }
  if (!request.target_table.empty() && request.target_table != request.table) {
    throw pg::PgError(sqlstate::kFeatureNotSupported,
                      "cloning partitioned table " + shown + " under another name is not supported",
                      "Its partitions, indexes and constraints would keep their source names and could not "
                      "tell the two trees apart.",
                      "Clone it under its own name (target_table_name NULL), into a database or schema where "
                      "that name is free, or use the \"conflict\" option.");
  }
}

struct TreeCounts {
  std::int64_t partitions = 0, indexes = 0, constraints = 0, triggers = 0;
};

// What arrived, read back from the target's catalog for the whole tree.
TreeCounts count_tree(pg::Connection& target, const std::string& root) {
  pg::Result r = target.query(
      "WITH t AS (SELECT relid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass))"
      " SELECT (SELECT count(*) FROM t) - 1,"
      "        (SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid IN (SELECT relid FROM t)),"
      "        (SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid IN (SELECT relid FROM t)),"
      "        (SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid IN (SELECT relid FROM t)"
      "           AND NOT tgisinternal)",
      {root});
  return {std::stoll(r.get(0, 0)), std::stoll(r.get(0, 1)), std::stoll(r.get(0, 2)), std::stoll(r.get(0, 3))};
}

void run_section(pg::Connection& target, jobs::Job& job, const plan::ClonePlan& plan, plan::Section section) {
  const bool include_data = job.request().include_data;
  for (const plan::Step& step : plan.steps) {
    if (step.section != section) continue;
    if (step.kind == "sequence_value" && !include_data) continue;
    throw_if_stopped(job);
    job.set_current_table(step.description);
    run_step(target, step);
  }
}

}  // namespace

std::string clone_partition_tree(jobs::Job& job, pg::Connection& source, pg::Connection& target,
                                 const std::string& root_oid) {
  const protocol::CloneRequest& request = job.request();
  const protocol::CloneOptions& options = job.options();
  const std::string shown = ddl::qualified_name(request.schema, request.table);
  refuse_unsupported_options(job, shown);

  plan::ScopeRelations relations = plan::partition_tree(source, root_oid);
  lock_relations(source, plan::relations_to_lock(relations));
  const std::vector<catalog::RelationEntry> tree = relations.tables;
  plan::CloneScope scope;
  scope.relations_only = true;
  scope.indexes = options.indexes;
  scope.constraints = options.constraints;
  scope.triggers = options.triggers;
  std::set<std::string> schemas;
  for (const auto& r : tree) schemas.insert(r.schema);
  scope.schemas.assign(schemas.begin(), schemas.end());

  const CloneMasks masks = CloneMasks::for_tree(job, source, tree);
  std::vector<std::string> root_columns;
  pg::Result columns = source.query(
      "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1::pg_catalog.oid AND attnum > 0"
      " AND NOT attisdropped ORDER BY attnum",
      {root_oid});
  for (int i = 0; i < columns.rows(); ++i) root_columns.push_back(columns.get(i, 0));
  const std::vector<catalog::DefaultSequence> default_sequences =
      catalog::read_default_sequences(source, root_oid, root_columns);
  std::vector<std::string> tree_oids;
  for (const auto& r : tree) tree_oids.push_back(r.oid);
  TypeDependencies types = TypeDependencies::for_relations(source, tree_oids);
  plan::ClonePlan plan = plan::plan_clone(source, scope, std::move(relations));
  for (const std::string& note : plan.notices) job.add_notice("notice", note);
  std::int64_t bytes_total = 0, leaves = 0;
  for (const plan::TableTask& task : plan.tables) {
    bytes_total += task.estimated_bytes;
    if (!task.partitioned_parent) ++leaves;
  }
  job.set_bytes_total(bytes_total);
  job.set_tables(leaves, 0);

  // Before the target is changed: grantees and types missing there fail the call now.
  filter_plan_privileges(target, plan, job);
  types.check_target(target, job.options().dependencies, "table " + shown);

  job.set_phase("creating table");
  target.exec("BEGIN");
  for (const std::string& schema : scope.schemas) ensure_target_schema(target, schema, job);
  if (!resolve_tree_conflict(target, job, tree)) {
    target.exec("ROLLBACK");
    source.exec("COMMIT");
    job.set_tables(leaves, leaves);
    return "SKIPPED: table " + shown + " (or a partition of it) already exists on the target";
  }
  const int types_created = types.create_missing(target, job);
  const DefaultSequenceSetup sequences = create_default_sequences(target, job, default_sequences);
  run_section(target, job, plan, plan::Section::kPreData);
  throw_if_stopped(job);

  std::int64_t rows = 0, done = 0;
  for (const plan::TableTask& task : plan.tables) {
    if (task.partitioned_parent) continue;
    job.set_current_table(task.target_qualified);
    if (request.include_data) {
      job.set_phase("copying data");
      std::string select = task.source_copy_select;
      if (options.where) select += " WHERE (" + *options.where + "\n)";
      if (auto masked =
              masks.copy_select(task.source_schema, task.source_name, task.copy_columns, task.source_from, options.where))
        select = *masked;
      const copy::CopyStatements statements =
          copy::copy_statements({select, task.whole_table_copy ? task.source_from : ""}, task.target_qualified, task.copy_columns, task.binary_copy);
      log::debug("job ", job.id(), ": ", statements.source);
      try {
        rows += relay_for_job(job, source, statements.source, target, statements.target).rows;
      } catch (const pg::PgError& e) {
        throw pg::PgError(e.sqlstate, "could not copy the data of " + task.target_qualified + ": " + e.message,
                          e.detail, e.hint, e.context);
      }
    }
    // Its indexes, keys and triggers right after its data, as schema clones do.
    job.set_phase("building indexes");
    for (const plan::Step& step : plan.steps)
      if (step.section == plan::Section::kTablePost && step.table_id == task.id) run_step(target, step);
    job.set_tables(leaves, ++done);
    throw_if_stopped(job);
  }
  source.exec("COMMIT");

  job.set_phase("building indexes");
  run_section(target, job, plan, plan::Section::kPostData);  // foreign keys are validated in order here
  for (const std::string& statement : sequences.positions) target.exec(statement);
  const TreeCounts counts = count_tree(target, shown);
  throw_if_stopped(job);
  commit_table_clone(job, target, shown);
  job.set_tables(leaves, leaves);
  job.set_current_table("");

  return "OK: cloned partitioned table " + shown + " with " + plural(counts.partitions, "partition", "partitions") +
         table_result_tail({request.include_data, rows, counts.indexes, counts.constraints, counts.triggers,
                            sequences.created, types_created},
                           job);
}

}  // namespace pgclone::agent::clone
