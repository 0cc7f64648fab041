// Verification driver for the schema planner (not built by default; see
// run.sh): plans a schema/database clone from a source database and executes
// the plan serially on a target, the way the agent's executor does.
//
//   schema_check <source conninfo> <target conninfo> [--schema S]... [--include RE]...
//                [--exclude RE]... [--no-matviews] [--no-indexes]
//                [--no-constraints] [--no-triggers] [--no-data] [--functions-only] [--plan]
//
// Without --schema every user schema is cloned (database clone). --plan
// prints the ordered steps and exits without touching the target.
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "copy/copy_relay.h"
#include "ddl/sql_text.h"
#include "pg/connection.h"
#include "plan/schema_planner.h"

using namespace pgclone::agent;

namespace {

const char* section_name(plan::Section s) {
  switch (s) {
    case plan::Section::kPreData: return "pre-data";
    case plan::Section::kTablePost: return "table-post";
    case plan::Section::kPostData: return "post-data";
  }
  return "?";
}

void run_step(pg::Connection& target, const plan::Step& step) {
  size_t first = 0;
  if (step.kind == "schema") {
    const std::string name = step.id.substr(7);
    // The executor owns schema creation; here: create it unless it exists.
    if (target.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {name}).rows() > 0) first = 1;
    // "pg_" names are reserved unless system table modifications are allowed.
    else if (name.rfind("pg_", 0) == 0) target.exec("SET LOCAL allow_system_table_mods = on");
  }
  for (size_t i = first; i < step.statements.size(); ++i) {
    try {
      target.exec(step.statements[i]);
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, step.description + " (" + step.id + "): " + e.message,
                        e.detail + "\nstatement: " + step.statements[i], e.hint);
    }
  }
}

void run_section(pg::Connection& target, const plan::ClonePlan& p, plan::Section section, bool data) {
  target.exec("BEGIN");
  for (const auto& step : p.steps) {
    if (step.section != section) continue;
    if (step.kind == "matview_refresh" && !data) continue;
    run_step(target, step);
  }
  target.exec("COMMIT");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: schema_check <source> <target> [--schema S]... [--include RE]... [--exclude RE]..."
                 " [--no-matviews] [--no-indexes] [--no-constraints] [--no-triggers] [--no-data] [--functions-only]"
                 " [--plan]\n";
    return 2;
  }
  plan::CloneScope scope;
  bool data = true, print_only = false;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--schema") scope.schemas.push_back(value());
    else if (a == "--include") scope.include_tables.push_back(value());
    else if (a == "--exclude") scope.exclude_tables.push_back(value());
    else if (a == "--no-matviews") scope.matviews = false;
    else if (a == "--no-data") data = false;
    else if (a == "--functions-only") scope.functions_only = true;
    else if (a == "--no-indexes") scope.indexes = false;
    else if (a == "--no-constraints") scope.constraints = false;
    else if (a == "--no-triggers") scope.triggers = false;
    else if (a == "--plan") print_only = true;
  }
  try {
    // The agent's session settings (clone/job_session.cpp), so server-printed
    // texts (partition bounds, defaults) read back the same on the target.
    const char* portable =
        "SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; SET extra_float_digits = 3; "
        "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; SET search_path = ''";
    pg::Connection source = pg::Connection::open(argv[1], "source");
    source.exec(portable);
    source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (scope.schemas.empty()) {
      scope.schemas = plan::list_user_schemas(source);
      scope.large_objects = true;
    }
    for (const auto& rel : plan::list_relations_to_lock(source, scope))
      source.exec("LOCK TABLE " + rel + " IN ACCESS SHARE MODE");
    const plan::ClonePlan p = plan::plan_clone(source, scope);
    for (const auto& n : p.notices) std::cout << "NOTICE: " << n << "\n";
    if (print_only) {
      for (const auto& s : p.steps) {
        std::cout << "-- " << s.id << " [" << s.kind << ", " << section_name(s.section)
                  << (s.table_id.empty() ? "" : ", " + s.table_id) << "] after:";
        for (const auto& d : s.depends_on) std::cout << " " << d;
        std::cout << "\n";
        for (const auto& st : s.statements) std::cout << st << ";\n";
      }
      for (const auto& t : p.tables)
        std::cout << "-- task " << t.id << (t.partitioned_parent ? " (partitioned)" : "") << " bytes "
                  << t.estimated_bytes << ": " << t.source_copy_select << (t.binary_copy ? " [binary]" : " [text]")
                  << "\n";
      return 0;
    }

    pg::Connection target = pg::Connection::open(argv[2], "target");
    target.exec(portable);
    target.exec("SET check_function_bodies = off");
    run_section(target, p, plan::Section::kPreData, data);

    std::map<std::string, std::vector<const plan::Step*>> after_data;
    for (const auto& s : p.steps)
      if (s.section == plan::Section::kTablePost) after_data[s.table_id].push_back(&s);
    std::int64_t rows = 0;
    for (const auto& t : p.tables) {
      target.exec("BEGIN");
      if (data && !t.partitioned_parent && !t.copy_columns.empty()) {
        const std::string format = t.binary_copy ? "binary" : "text";
        target.exec("TRUNCATE ONLY " + t.target_qualified);
        auto stats = copy::relay_copy(source, "COPY (" + t.source_copy_select + ") TO STDOUT (FORMAT " + format + ")",
                                      target,
                                      "COPY " + t.target_qualified + " (" + ddl::join(t.copy_columns) +
                                          ") FROM STDIN (FORMAT " + format + ", FREEZE)",
                                      [](std::int64_t) {});
        rows += stats.rows;
      }
      for (const auto* s : after_data[t.id]) run_step(target, *s);
      target.exec("COMMIT");
    }
    run_section(target, p, plan::Section::kPostData, data);
    source.exec("COMMIT");

    std::map<std::string, int> kinds;
    for (const auto& s : p.steps) ++kinds[s.kind];
    std::cout << "OK: " << p.steps.size() << " steps, " << p.tables.size() << " tables, " << rows << " rows;";
    for (const auto& [k, n] : kinds) std::cout << " " << k << "=" << n;
    std::cout << "\n";
    return 0;
  } catch (const pg::PgError& e) {
    std::cerr << "ERROR " << e.sqlstate << ": " << e.what() << "\n" << e.detail << "\n";
  } catch (const std::exception& e) {
    std::cerr << "ERROR: " << e.what() << "\n";
  }
  return 1;
}
