#include "verify/verify_job.h"

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "catalog/schema_catalog.h"
#include "clone/job_session.h"
#include "clone/snapshot.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/verify_options.h"
#include "plan/table_filter.h"
#include "verify/verify_tables.h"
#include "verify/verify_workers.h"

namespace pgclone::agent::verify {
namespace {

protocol::VerifyOptions options_of(const protocol::CloneRequest& request) {
  try {
    return protocol::parse_verify_options(request.options_json);
  } catch (const protocol::OptionsError& e) {
    throw pg::PgError(e.sqlstate, e.what(), e.detail, e.hint);
  }
}

std::vector<std::string> schemas_in_scope(pg::Connection& source, const std::string& schema) {
  if (schema.empty()) return catalog::list_user_schemas(source);  // as database() selects them
  if (existing_schemas(source, {schema}).empty()) {
    throw pg::PgError(protocol::sqlstate::kInvalidSchemaName,
                      "source schema " + ddl::quote_ident(schema) + " does not exist");
  }
  return {schema};
}

// One side's tables, read and locked (ACCESS SHARE, as pg_dump does) in the
// keeper's REPEATABLE READ transaction, whose snapshot is then exported.
struct SideScope {
  std::map<TableKey, VerifyTable> tables;
  std::string snapshot;
};

SideScope read_side(pg::Connection& keeper, const std::vector<std::string>& schemas, const plan::TableFilter& filter) {
  SideScope side;
  side.tables = read_verify_tables(keeper, schemas, filter);
  std::vector<std::string> names;
  for (const auto& [key, table] : side.tables) names.push_back(table.qualified);
  clone::lock_relations(keeper, names);
  side.snapshot = clone::export_snapshot(keeper);
  return side;
}

// Every table of either side; the largest first, so that the last one to
// finish is a small one.
std::vector<TableTask> tasks_of(const SideScope& source, const SideScope& target) {
  std::vector<TableTask> tasks;
  for (const auto& [key, table] : source.tables) {
    auto on_target = target.tables.find(key);
    tasks.push_back({&table, on_target == target.tables.end() ? nullptr : &on_target->second});
  }
  for (const auto& [key, table] : target.tables) {
    if (!source.tables.count(key)) tasks.push_back({nullptr, &table});
  }
  auto bytes = [](const TableTask& t) {
    return std::max(t.source ? t.source->bytes : 0, t.target ? t.target->bytes : 0);
  };
  std::stable_sort(tasks.begin(), tasks.end(), [&](const TableTask& a, const TableTask& b) { return bytes(a) > bytes(b); });
  return tasks;
}

std::string render(std::vector<TableVerdict> verdicts) {
  std::sort(verdicts.begin(), verdicts.end(), [](const TableVerdict& a, const TableVerdict& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  });
  nlohmann::json rows = nlohmann::json::array();
  for (const TableVerdict& v : verdicts) {
    nlohmann::json row;
    row["schema_name"] = v.schema;
    row["table_name"] = v.name;
    row["source_rows"] = v.source_rows ? nlohmann::json(*v.source_rows) : nlohmann::json(nullptr);
    row["target_rows"] = v.target_rows ? nlohmann::json(*v.target_rows) : nlohmann::json(nullptr);
    row["match"] = v.match;
    // A string holding JSON: json_to_recordset hands it to a text column as is.
    row["detail"] = v.detail_json.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.detail_json);
    rows.push_back(row);
  }
  return rows.dump();
}

}  // namespace

std::string verify(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  const protocol::VerifyOptions options = options_of(request);
  const plan::TableFilter filter(options.tables, options.exclude_tables);

  job.set_phase("connecting");
  pg::Connection source = clone::open_source(request.source_conninfo, job);
  clone::InterruptRegistration source_interrupt(job, source);
  pg::Connection target = clone::open_target(job.target_conninfo(), job);
  clone::InterruptRegistration target_interrupt(job, target);

  job.set_phase("reading catalog");
  source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const std::vector<std::string> schemas = schemas_in_scope(source, request.schema);
  const SideScope on_source = read_side(source, schemas, filter);
  target.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const SideScope on_target = read_side(target, existing_schemas(target, schemas), filter);
  const std::vector<TableTask> tasks = tasks_of(on_source, on_target);

  job.set_phase(options.mode == protocol::VerifyMode::kCount ? "counting rows" : "comparing checksums");
  job.set_tables(static_cast<std::int64_t>(tasks.size()), 0);
  WorkerSessions sessions;
  sessions.workers = options.parallel > 0 ? options.parallel : protocol::kDefaultVerifyParallel;
  sessions.source_conninfo = request.source_conninfo;
  sessions.source_snapshot = on_source.snapshot;
  sessions.target_conninfo = job.target_conninfo();
  sessions.target_snapshot = on_target.snapshot;
  std::vector<TableVerdict> verdicts = run_comparisons(job, tasks, options, sessions);
  // The keepers hold the snapshots (and locks) until every worker is done.
  source.exec("COMMIT");
  target.exec("COMMIT");
  job.set_current_table("");
  return render(std::move(verdicts));
}

}  // namespace pgclone::agent::verify
