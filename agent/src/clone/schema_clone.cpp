#include "clone/schema_clone.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include "clone/analyze.h"
#include "clone/clone_masks.h"
#include "clone/database_object_conflicts.h"
#include "clone/existing_object_privileges.h"
#include "clone/fk_validation.h"
#include "clone/foreign_servers.h"
#include "clone/job_session.h"
#include "clone/load_readiness.h"
#include "clone/excluded_kinds.h"
#include "clone/large_objects.h"
#include "clone/owner_check.h"
#include "clone/privilege_filter.h"
#include "clone/schema_conflict.h"
#include "clone/sibling_group.h"
#include "clone/snapshot.h"
#include "clone/step_runner.h"
#include "clone/table_loader.h"
#include "clone/type_dependencies.h"
#include "clone/target_database.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/database_object_steps.h"
#include "plan/schema_planner.h"
#include "plan/security_label_steps.h"
#include "sample/sample_plan.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;

bool is_database_clone(const protocol::CloneRequest& request) {
  return request.operation == protocol::kOpDatabase || request.operation == protocol::kOpDatabaseCreate;
}

bool is_sample(const protocol::CloneRequest& request) {
  return request.operation == protocol::kOpTableSample || request.operation == protocol::kOpSchemaSample;
}

plan::CloneScope scope_of(const jobs::Job& job, pg::Connection& source) {
  const protocol::CloneRequest& request = job.request();
  const protocol::CloneOptions& options = job.options();
  plan::CloneScope scope;
  scope.include_tables = options.tables;
  scope.exclude_tables = options.exclude_tables;
  scope.indexes = options.indexes;
  scope.constraints = options.constraints;
  scope.triggers = options.triggers;
  scope.matviews = options.matviews;
  scope.functions_only = request.operation == protocol::kOpFunctions;
  scope.large_objects = is_database_clone(request);
  scope.all_foreign_servers = is_database_clone(request);
  scope.user_mapping_secrets = job.owner().is_superuser;
  scope.database_wide = is_database_clone(request);
  scope.source_owners = options.owner == protocol::OwnerMode::kSource;
  scope.database_objects = is_database_clone(request);
  scope.event_triggers = !kind_excluded(job, "event_triggers");
  if (is_database_clone(request)) {
    scope.schemas = plan::list_user_schemas(source);
  } else {
    if (source.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {request.schema}).rows() == 0) {
      throw pg::PgError(sqlstate::kInvalidSchemaName,
                        "source schema " + ddl::quote_ident(request.schema) + " does not exist");
    }
    scope.schemas = {request.schema};
  }
  return scope;
}

// Extensions the plan needs must be installable on the target; say which
// one is missing rather than failing on the first object that uses it.
void check_extensions_available(pg::Connection& target, const plan::ClonePlan& plan) {
  for (const plan::Step& step : plan.steps) {
    if (step.kind != "extension") continue;
    const std::string name = step.id.substr(step.id.find(':') + 1);
    if (target.query("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1", {name}).rows() == 0) {
      throw pg::PgError(sqlstate::kFeatureNotSupported,
                        "extension \"" + name + "\" is needed by the clone but is not available on the target",
                        step.description + " is used by objects in scope.",
                        "Install the package that provides the extension on the target server.");
    }
  }
}

// The disposition of the schema a "schema" step creates; nullptr for other steps.
const SchemaDisposition* disposition_of(const plan::Step& step,
                                        const std::map<std::string, const SchemaDisposition*>& schemas) {
  if (step.kind != "schema") return nullptr;
  for (const auto& [name, disposition] : schemas) {
    if (step.id == "schema:" + name) return disposition;
  }
  return nullptr;
}

// The schema steps of schemas that are reused (or skipped) must not run.
// Nor do the privileges and owner of such a schema: it is not the clone's.
bool should_run(const plan::Step& step, const std::map<std::string, const SchemaDisposition*>& schemas) {
  if ((step.kind == "privileges" || step.kind == "owner") && !step.depends_on.empty() &&
      step.depends_on[0].rfind("schema:", 0) == 0) {
    plan::Step schema_step;
    schema_step.kind = "schema";
    schema_step.id = step.depends_on[0];
    return should_run(schema_step, schemas);
  }
  const SchemaDisposition* disposition = disposition_of(step, schemas);
  return !disposition || (disposition->clone && disposition->create);
}

bool creates_reserved_schema(const plan::Step& step) {
  for (const std::string& statement : step.statements) {
    if (statement.rfind("CREATE SCHEMA pg_", 0) == 0 || statement.rfind("CREATE SCHEMA IF NOT EXISTS pg_", 0) == 0) {
      return true;
    }
  }
  return false;
}

// Steps of one section in order, committed in batches: one transaction for
// thousands of CREATE TABLEs would need more lock slots than a default server
// has. Each committed batch is journaled, so a resumed job skips it.
constexpr std::size_t kStepsPerTransaction = 500;
// functions() promises one transaction: its steps are few.
constexpr std::size_t kAllInOneTransaction = static_cast<std::size_t>(-1) / 2;

constexpr const char* kXidMark = ":xid:";

// A batch whose transaction committed while its agent died before
// journaling it: the transaction ids journaled for the checkpoint, asked of
// the server (txid_status). Aborted or unknown ones are run again.
bool committed_unjournaled(pg::Connection& target, jobs::Job& job, const std::string& checkpoint) {
  const std::string prefix = checkpoint + kXidMark;
  for (const std::string& mark : job.journal().with_prefix(prefix)) {
    const pg::Result r =
        target.query("SELECT pg_catalog.txid_status($1::bigint) = 'committed'", {mark.substr(prefix.size())});
    if (r.get(0, 0) == "t") return true;
  }
  return false;
}

// The steps of one section that this clone runs, in order.
std::vector<const plan::Step*> section_steps(const plan::ClonePlan& plan, plan::Section section,
                                             const std::map<std::string, const SchemaDisposition*>& schemas,
                                             bool include_data) {
  std::vector<const plan::Step*> steps;
  for (const plan::Step& step : plan.steps) {
    if (step.section != section || !should_run(step, schemas)) continue;
    if ((step.kind == "matview_refresh" || step.kind == "sequence_value") && !include_data) continue;
    if (step.kind == kValidationKind) continue;  // validate_foreign_keys, in parallel
    if (step.kind == plan::kEventTriggerEnableKind) continue;  // enable_event_triggers, at the very end
    const bool of_large_object = step.kind == plan::kLargeObjectPrivilegesKind ||
                                 step.kind == plan::kLargeObjectOwnerKind ||
                                 step.kind == plan::kLargeObjectSecurityLabelKind;
    if (of_large_object && !include_data) continue;  // no large objects copied
    steps.push_back(&step);
  }
  return steps;
}

// Told after each committed batch how many of the steps have committed (or
// had, before a resume); may throw to stop the section.
using BatchCommitted = std::function<void(std::size_t)>;

void run_steps(pg::Connection& target, const std::vector<const plan::Step*>& steps,
               const std::map<std::string, const SchemaDisposition*>& schemas, jobs::Job& job,
               const std::string& journal_name, std::size_t steps_per_transaction,
               const BatchCommitted& committed = {}) {
  const bool superuser = job.owner().is_superuser;
  for (std::size_t begin = 0, batch = 0; begin < steps.size(); begin += steps_per_transaction, ++batch) {
    const std::size_t end = std::min(steps.size(), begin + steps_per_transaction);
    const std::string checkpoint = journal_name + ":" + std::to_string(batch);
    if (job.journal().passed(checkpoint)) {
      if (committed) committed(end);
      continue;
    }
    if (committed_unjournaled(target, job, checkpoint)) {
      job.journal().mark_passed(checkpoint);
      if (committed) committed(end);
      continue;
    }
    target.exec("BEGIN");
    // Plain steps go out in pipelines; a schema's step runs on its own
    // between them, for what it needs around it.
    std::vector<const plan::Step*> plain;
    auto run_plain = [&] {
      if (plain.empty()) return;
      throw_if_stopped(job);
      job.set_current_table(plain.front()->description);
      run_steps_pipelined(target, plain);
      plain.clear();
    };
    for (std::size_t i = begin; i < end; ++i) {
      const plan::Step& step = *steps[i];
      const SchemaDisposition* created = disposition_of(step, schemas);
      // "pg_" names are reserved for system schemas; pg_dump's restore needs
      // the same switch, and only a superuser may flip it (others get the
      // server's own "unacceptable schema name" error).
      const bool reserved_name = creates_reserved_schema(step);
      if (!created && !reserved_name) {
        plain.push_back(&step);
        continue;
      }
      run_plain();
      throw_if_stopped(job);
      job.set_current_table(step.description);
      if (reserved_name && superuser) target.exec("SET LOCAL allow_system_table_mods = on");
      run_step(target, step);
      if (reserved_name && superuser) target.exec("SET LOCAL allow_system_table_mods = off");
      // A schema replace/rename moved aside held extensions: they move into
      // the new schema now, in the transaction that created it.
      if (created) relocate_extensions_into_new_schema(target, *created);
    }
    run_plain();
    // The transaction's id first: should the agent die between COMMIT and
    // the mark below, the job that resumes this one asks the server.
    const std::string xid = target.query("SELECT pg_catalog.txid_current()::pg_catalog.text").get(0, 0);
    job.journal().mark_passed(checkpoint + kXidMark + xid);
    target.exec("COMMIT");
    job.journal().mark_passed(checkpoint);
    if (committed) committed(end);
  }
}

void run_section(pg::Connection& target, const plan::ClonePlan& plan, plan::Section section,
                 const std::map<std::string, const SchemaDisposition*>& schemas, bool include_data,
                 jobs::Job& job, const std::string& journal_name, std::size_t steps_per_transaction) {
  run_steps(target, section_steps(plan, section, schemas, include_data), schemas, job, journal_name,
            steps_per_transaction);
}

// Pre-data, with the tables loading meanwhile: each starts as soon as what
// it needs has committed (load_readiness.h). A failing load cancels the
// statement pre-data is running, and its error is the job's.
void create_objects_and_load(pg::Connection& target, jobs::Job& job, const plan::ClonePlan& plan,
                             const std::map<std::string, const SchemaDisposition*>& schemas,
                             const LoadSettings& settings, bool functions_only) {
  const std::vector<const plan::Step*> pre_data =
      section_steps(plan, plan::Section::kPreData, schemas, settings.include_data);
  std::optional<TableLoad> load;
  if (!functions_only) load.emplace(job, plan, settings, load_readiness(plan, pre_data));
  if (!job.journal().passed("pre_data")) {
    job.set_phase("creating objects");
    std::optional<Enlisted> creating;
    if (load) creating.emplace(job, load->siblings(), target);
    try {
      run_steps(target, pre_data, schemas, job, "pre_data",
                functions_only ? kAllInOneTransaction : kStepsPerTransaction, [&](std::size_t committed) {
                  if (!load) return;
                  load->throw_if_failed();
                  load->objects_created(committed);
                });
    } catch (...) {
      if (load) load->throw_if_failed();  // what cancelled pre-data
      throw;
    }
    job.journal().mark_passed("pre_data");
  }
  if (load) {
    job.set_phase(settings.include_data ? "copying data" : "building indexes");
    load->finish();
  }
}

// Event triggers were created disabled (plan/database_object_steps.h): they
// take the source's state only now, after the old schemas of
// conflict=replace are dropped, so none fires for anything the clone did.
void enable_event_triggers(pg::Connection& target, const plan::ClonePlan& plan) {
  std::vector<const plan::Step*> steps;
  for (const plan::Step& step : plan.steps)
    if (step.kind == plan::kEventTriggerEnableKind) steps.push_back(&step);
  if (steps.empty()) return;
  target.exec("BEGIN");
  for (const plan::Step* step : steps) run_step(target, *step);
  target.exec("COMMIT");
}

// "1 table", "2 tables".
std::string counted(std::int64_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

std::string summary(const jobs::Job& job, const plan::ClonePlan& plan, std::int64_t large_objects) {
  std::map<std::string, int> by_kind;
  for (const plan::Step& step : plan.steps) ++by_kind[step.kind];
  const protocol::JobProgress progress = job.progress();
  std::ostringstream out;
  const protocol::CloneRequest& request = job.request();
  if (request.operation == protocol::kOpFunctions) {
    out << "OK: cloned " << counted(by_kind["function"] + by_kind["aggregate"], "function", "functions")
        << " of schema " << ddl::quote_ident(request.schema) << privileges_result_note(job);
    return out.str();
  }
  out << (is_sample(request) ? "OK: sampled " : "OK: cloned ");
  if (request.operation == protocol::kOpTableSample) {
    out << "table " << ddl::qualified_name(request.schema, request.table);
  } else if (is_database_clone(request)) {
    out << "database into " << (request.target_database.empty() ? "the current database"
                                                              : ddl::quote_ident(request.target_database));
  } else {
    out << "schema " << ddl::quote_ident(request.schema);
  }
  out << ": " << counted(static_cast<std::int64_t>(plan.tables.size()), "table", "tables");
  if (request.include_data) out << " (" << counted(progress.rows_copied, "row", "rows") << ")";
  struct Kind {
    const char* kind;
    const char* singular;
    const char* plural;
  };
  const Kind kinds[] = {
      {"view", "view", "views"},
      {"matview", "materialized view", "materialized views"},
      {"function", "function", "functions"},
      {"aggregate", "aggregate", "aggregates"},
      {"sequence", "sequence", "sequences"},
      {"type", "type", "types"},
      {"dependency_type", "type of another schema", "types of other schemas"},
      {"constraint", "key or constraint", "keys and constraints"},
      {"index", "index", "indexes"},
      {"fk", "foreign key", "foreign keys"},
      {"trigger", "trigger", "triggers"},
      {"policy", "policy", "policies"},
      {"foreign_table", "foreign table", "foreign tables"},
      {"foreign_data_wrapper", "foreign-data wrapper", "foreign-data wrappers"},
      {"foreign_server", "foreign server", "foreign servers"},
      {"user_mapping", "user mapping", "user mappings"},
  };
  for (const Kind& k : kinds) {
    if (by_kind[k.kind] > 0) out << ", " << counted(by_kind[k.kind], k.singular, k.plural);
  }
  if (large_objects > 0) out << ", " << counted(large_objects, "large object", "large objects");
  out << privileges_result_note(job) << excluded_result_note(job);
  return out.str();
}

}  // namespace

std::string clone_schemas(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  const protocol::CloneOptions& options = job.options();
  const bool functions_only = request.operation == protocol::kOpFunctions;

  job.set_phase("connecting");
  std::optional<TargetDatabase> new_database;
  if (request.operation == protocol::kOpDatabaseCreate) new_database.emplace(job);
  const std::string target_conninfo = new_database ? new_database->conninfo() : job.target_conninfo();

  std::vector<SchemaDisposition> dispositions;
  std::optional<pg::Connection> target;
  try {
    pg::Connection keeper = open_source(request.source_conninfo, job);
    InterruptRegistration keeper_interrupt(job, keeper);
    target.emplace(open_target(target_conninfo, job));
    InterruptRegistration target_interrupt(job, *target);
    target->exec("SET check_function_bodies = off");

    job.set_phase("reading catalog");
    keeper.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    plan::CloneScope scope = scope_of(job, keeper);
    std::optional<sample::SamplePlan> sample;
    if (is_sample(request)) {
      // The tables the sample reaches, in whichever schema, and only those.
      sample = sample::plan_sample(keeper, job);
      scope.schemas = sample->schemas;
      scope.only_tables = sample->tables;
      scope.include_tables.clear();
      scope.exclude_tables.clear();
    }
    const CloneMasks masks = CloneMasks::for_scope(job, keeper, scope);
    // schema(): types its objects use from other schemas, checked before the
    // target is changed (database clones bring every schema).
    std::vector<plan::Step> dependency_types;
    if (request.operation == protocol::kOpSchema || sample) {
      TypeDependencies types = TypeDependencies::for_schemas(keeper, scope.schemas);
      types.check_target(*target, options.dependencies, "schema " + ddl::quote_ident(request.schema));
      dependency_types = types.steps();
    }

    jobs::JobJournal& journal = job.journal();
    const std::set<std::string> journaled = journal.with_prefix(kDispositionPrefix);
    if (!functions_only && !journaled.empty()) {
      // Resuming: the predecessor already settled the conflicts (and maybe
      // created objects); continue with its decisions.
      for (const std::string& entry : journaled) {
        dispositions.push_back(decode_disposition(entry));
      }
      std::vector<std::string> kept;
      for (const SchemaDisposition& d : dispositions) {
        if (d.clone) kept.push_back(d.name);
      }
      scope.schemas = kept;
    } else if (!functions_only) {
      resolve_schema_conflicts(*target, scope.schemas, options.conflict, job.id(), dispositions);
      for (const SchemaDisposition& d : dispositions) journal.mark_passed(encode_disposition(d));
      std::vector<std::string> kept;
      for (const SchemaDisposition& d : dispositions) {
        if (d.clone) kept.push_back(d.name);
        else job.add_notice("notice", "skipped schema " + ddl::quote_ident(d.name) + ": it exists on the target");
      }
      if (kept.empty() && !scope.schemas.empty()) {
        keeper.exec("COMMIT");
        return "SKIPPED: schema " + ddl::quote_ident(scope.schemas.front()) + " already exists on the target";
      }
      scope.schemas = kept;
    }
    // functions() creates a missing schema and otherwise replaces functions in
    // place; it never undoes anything, so these stay out of `dispositions`.
    const std::vector<SchemaDisposition> function_schemas =
        functions_only ? schemas_for_functions(*target, scope.schemas) : std::vector<SchemaDisposition>{};
    std::map<std::string, const SchemaDisposition*> by_schema;
    for (const SchemaDisposition& d : dispositions) by_schema[d.name] = &d;
    for (const SchemaDisposition& d : function_schemas) by_schema[d.name] = &d;

    plan::ScopeRelations relations = plan::select_scope_relations(keeper, scope);
    lock_relations(keeper, plan::relations_to_lock(relations));
    const std::string snapshot = options.consistent ? export_snapshot(keeper) : "";
    if (!functions_only) check_uncloned_kinds(keeper, job, is_database_clone(request), scope.schemas);
    plan::ClonePlan plan = plan::plan_clone(keeper, scope, std::move(relations));
    // They depend on nothing the plan creates: first of all.
    plan.steps.insert(plan.steps.begin(), dependency_types.begin(), dependency_types.end());
    if (sample) {
      job.set_phase("choosing sample rows");
      const sample::SampledRows rows = sample::select_sample_rows(keeper, job, sample->graph, sample->request);
      sample::restrict_to_sample(plan, sample->graph, rows);
    }
    masks.apply(plan);
    for (const std::string& note : plan.notices) job.add_notice("notice", note);
    check_extensions_available(*target, plan);
    settle_foreign_servers(*target, plan, job, is_database_clone(request));
    if (!functions_only) {
      add_existing_object_steps(keeper, *target, dispositions, is_database_clone(request), job, plan);
      resolve_database_object_conflicts(*target, plan, job);
    }
    filter_plan_privileges(*target, plan, job);
    check_owners_assignable(*target, plan.owners, job);
    throw_if_stopped(job);

    std::int64_t bytes_total = 0;
    for (const plan::TableTask& task : plan.tables) bytes_total += task.estimated_bytes;
    job.set_bytes_total(bytes_total);
    job.set_tables(static_cast<std::int64_t>(plan.tables.size()), 0);

    LoadSettings settings;
    settings.workers = options.parallel;
    settings.include_data = request.include_data;
    settings.snapshot_id = snapshot;
    // A sample's selection touched its rows' pages in the keeper. (For a
    // whole clone reading through the keeper measured slower: 14.0 s
    // against 12.8 s, best of 3, bench/run.sh at scale 60.)
    if (sample && !snapshot.empty()) settings.snapshot_session = &keeper;
    settings.source_conninfo = request.source_conninfo;
    settings.target_conninfo = target_conninfo;
    create_objects_and_load(*target, job, plan, by_schema, settings, functions_only);

    if (!functions_only) {
      if (!journal.passed("post_data")) {
        job.set_phase("adding foreign keys");
        run_section(*target, plan, plan::Section::kPostData, by_schema, request.include_data, job, "post_data",
                    kStepsPerTransaction);
        journal.mark_passed("post_data");
      }
      job.set_phase("validating foreign keys");
      validate_foreign_keys(job, plan, target_conninfo, options.parallel);
    }

    std::int64_t large_objects = 0;
    if (scope.large_objects && request.include_data && !journal.passed("large_objects")) {
      job.set_phase("copying large objects");
      target->exec("BEGIN");
      large_objects = copy_large_objects(job, keeper, *target);
      target->exec("COMMIT");
      journal.mark_passed("large_objects");
    }
    if (!functions_only && !journal.passed("last")) {
      job.set_phase("finishing");
      run_section(*target, plan, plan::Section::kLast, by_schema, request.include_data, job, "last",
                  kAllInOneTransaction);
      journal.mark_passed("last");
    }
    keeper.exec("COMMIT");
    finish_schema_conflicts(*target, dispositions);
    if (!journal.passed("event_triggers_enabled")) {
      enable_event_triggers(*target, plan);
      journal.mark_passed("event_triggers_enabled");
    }

    if (request.include_data) {
      // The loading workers analyzed every table with data of its own; a
      // partitioned parent's statistics need its partitions in.
      job.set_phase("analyzing");
      for (const plan::TableTask& task : plan.tables) {
        if (task.partitioned_parent) analyze_loaded_table(job, *target, task.target_qualified);
      }
    }
    job.set_current_table("");
    return summary(job, plan, large_objects);
  } catch (...) {
    job.set_phase("rolling back");
    if (target) {
      // On a session of its own: a cancel request sent to the old one may
      // still be on its way and would otherwise hit the undo.
      target.reset();
      try {
        pg::Connection cleanup = open_target_for_cleanup(target_conninfo, job);
        undo_schema_clone(cleanup, dispositions);
      } catch (const std::exception& e) {
        log::error("job ", job.id(), ": could not undo the partial clone: ", e.what());
      }
    }
    if (new_database) new_database->drop_if_created();
    // The target is as it was: a resume of this job starts from the beginning.
    try {
      job.journal().forget();
    } catch (const std::exception& e) {
      log::error("job ", job.id(), ": could not reset its journal: ", e.what());
    }
    throw;
  }
}

}  // namespace pgclone::agent::clone
