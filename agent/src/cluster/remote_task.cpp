#include "cluster/remote_task.h"

#include <optional>

#include "clone/job_session.h"
#include "clone/snapshot.h"
#include "clone/step_runner.h"
#include "clone/table_load_task.h"
#include "jobs/job_manager.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::cluster {
namespace {

protocol::TableLoadSpec spec_of(const plan::TableTask& t) {
  return protocol::TableLoadSpec{t.id, t.source_schema, t.source_name, t.target_qualified, t.copy_columns,
                                 t.source_copy_select, t.source_from, t.whole_table_copy, t.row_filter,
                                 t.binary_copy, t.estimated_bytes, t.partitioned_parent};
}

plan::TableTask task_of(const protocol::TableLoadSpec& s) {
  plan::TableTask t;
  t.id = s.id;
  t.source_schema = s.source_schema;
  t.source_name = s.source_name;
  t.target_qualified = s.target_qualified;
  t.copy_columns = s.copy_columns;
  t.source_copy_select = s.source_copy_select;
  t.source_from = s.source_from;
  t.whole_table_copy = s.whole_table_copy;
  t.row_filter = s.row_filter;
  t.binary_copy = s.binary_copy;
  t.estimated_bytes = s.estimated_bytes;
  t.partitioned_parent = s.partitioned_parent;
  return t;
}

protocol::ErrorInfo error_of(const pg::PgError& e) {
  return protocol::ErrorInfo{e.sqlstate, e.message, e.detail, e.hint, e.context};
}


protocol::TaskAssign assignment_for(const jobs::Job& job, const char* kind, const std::vector<const plan::Step*>& steps) {
  protocol::TaskAssign assign;
  assign.job_id = job.id();
  assign.kind = kind;
  assign.request = job.request();
  assign.request.caller = {};  // the proof was for the coordinator; it proves nothing to anyone else
  const jobs::JobOwner& o = job.owner();
  assign.owner = protocol::TaskOwner{o.server, o.database_oid, o.database, o.role_oid, o.role, o.is_superuser};
  for (const plan::Step* step : steps) {
    assign.steps.push_back(protocol::TaskStep{step->id, step->kind, step->description, step->statements});
  }
  return assign;
}

std::vector<plan::Step> steps_of(const protocol::TaskAssign& task, plan::Section section) {
  std::vector<plan::Step> steps;
  for (const protocol::TaskStep& s : task.steps) {
    plan::Step step;
    step.id = s.id;
    step.kind = s.kind;
    step.description = s.description;
    step.section = section;
    step.table_id = task.table.id;
    step.statements = s.statements;
    steps.push_back(std::move(step));
  }
  return steps;
}

void run_load(const protocol::TaskAssign& task, jobs::Job& job, protocol::TaskResult* result) {
  const plan::TableTask table = task_of(task.table);
  const std::vector<plan::Step> steps = steps_of(task, plan::Section::kTablePost);
  std::vector<const plan::Step*> step_pointers;
  for (const plan::Step& step : steps) step_pointers.push_back(&step);
  std::optional<pg::Connection> source;
  if (task.include_data && !table.partitioned_parent) {
    source.emplace(clone::open_worker_source(job.request().source_conninfo, task.snapshot_id, job));
  }
  pg::Connection target = clone::open_target(job.target_conninfo(), job);
  target.exec("SET check_function_bodies = off");
  std::optional<clone::InterruptRegistration> source_interrupt;
  if (source) source_interrupt.emplace(job, *source);
  clone::InterruptRegistration target_interrupt(job, target);
  const clone::TableLoadOutcome outcome =
      clone::load_table(job, clone::TableLoadInput{table, step_pointers, task.include_data, task.redo, false},
                        source ? &*source : nullptr, target, [](const clone::TableLoadOutcome&) {});
  result->loaded_before = outcome.loaded_before;
  result->rows = outcome.rows;
  result->bytes = outcome.bytes;
}

void run_steps(const protocol::TaskAssign& task, jobs::Job& job) {
  const std::vector<plan::Step> steps = steps_of(task, plan::Section::kPostData);
  pg::Connection target = clone::open_target(job.target_conninfo(), job);
  clone::InterruptRegistration target_interrupt(job, target);
  for (const plan::Step& step : steps) {
    clone::throw_if_stopped(job);
    clone::run_step(target, step);
  }
}

}  // namespace

protocol::TaskAssign load_table_assignment(const jobs::Job& job, const plan::TableTask& task,
                                           const std::vector<const plan::Step*>& steps,
                                           const std::string& snapshot_id, bool include_data, bool redo) {
  protocol::TaskAssign assign = assignment_for(job, protocol::kTaskLoadTable, steps);
  assign.snapshot_id = snapshot_id;
  assign.include_data = include_data;
  assign.redo = redo;
  assign.table = spec_of(task);
  return assign;
}

protocol::TaskAssign steps_assignment(const jobs::Job& job, const std::vector<const plan::Step*>& steps) {
  return assignment_for(job, protocol::kTaskRunSteps, steps);
}

std::unique_ptr<jobs::Job> job_for_task(const protocol::TaskAssign& task, const trust::Enrolment& enrolment) {
  if (task.kind != protocol::kTaskLoadTable && task.kind != protocol::kTaskRunSteps) {
    throw jobs::JobRequestError(protocol::sqlstate::kFeatureNotSupported,
                                "this worker agent cannot run tasks of kind \"" + task.kind + "\"",
                                "", "Run the same pgclone-agent version on the coordinator and its workers.");
  }
  const trust::EnrolledServer* server = enrolment.by_name(task.owner.server);
  if (server == nullptr) {
    throw jobs::JobRequestError(protocol::sqlstate::kInvalidAuthorization,
                                "server \"" + task.owner.server + "\" is not in this worker agent's --servers file",
                                "", "Give every worker agent the coordinator's servers file, with \"target\" "
                                    "connection strings that work from the worker's host.");
  }
  const auto scope = protocol::scope_for_operation(task.request.operation);
  if (!scope) {
    throw jobs::JobRequestError(protocol::sqlstate::kFeatureNotSupported,
                                "operation \"" + task.request.operation + "\" has no table loads");
  }
  protocol::CloneOptions options = protocol::parse_clone_options(task.request.options_json, *scope);
  jobs::JobOwner owner;
  owner.server = task.owner.server;
  owner.database_oid = task.owner.database_oid;
  owner.database = task.owner.database;
  owner.role_oid = task.owner.role_oid;
  owner.role = task.owner.role;
  owner.is_superuser = task.owner.is_superuser;
  // application_name last: it wins over the enrolment's, and it is how the
  // coordinator finds this session should this worker be lost.
  jobs::JobOrigin origin{trust::target_conninfo_for(*server, owner.database) + " application_name='" +
                         protocol::task_application_name(task.task_id) + "'",
                         ""};
  return std::make_unique<jobs::Job>(task.job_id, task.request, std::move(options), std::move(owner),
                                     std::move(origin));
}

protocol::TaskResult run_task(const protocol::TaskAssign& task, jobs::Job& job) {
  protocol::TaskResult result;
  result.task_id = task.task_id;
  try {
    if (task.kind == protocol::kTaskLoadTable) {
      run_load(task, job, &result);
    } else {
      run_steps(task, job);
    }
    result.ok = true;
  } catch (const pg::PgError& e) {
    result.error = error_of(e);
  } catch (const jobs::JobRequestError& e) {
    result.error = protocol::ErrorInfo{e.sqlstate, e.what(), e.detail, e.hint, ""};
  } catch (const std::exception& e) {
    result.error = protocol::ErrorInfo{protocol::sqlstate::kInternalError, e.what(), "", "", ""};
  }
  result.notices = job.final_message().notices;
  return result;
}

}  // namespace pgclone::agent::cluster
