// Throwaway-style driver for checking the catalog reader and DDL planner
// against real clusters (not built by default; see run.sh).
//
//   catalog_check clone  <src conninfo> <dst conninfo> <schema> <table> [target_schema target_table] [col,col,...]
//   catalog_check aside  <dst conninfo> <schema> <table>
//
// clone: reads the table under a REPEATABLE READ READ ONLY snapshot, applies
// pre_data, copies the rows (binary when the plan allows), applies post_data,
// all in one target transaction. aside: runs rename_aside_statements.
#include <iostream>
#include <sstream>

#include "catalog/table_catalog.h"
#include "ddl/table_ddl.h"
#include "pg/connection.h"

using namespace pgclone::agent;

namespace {

void run_all(pg::Connection& conn, const std::vector<std::string>& statements) {
  for (const auto& s : statements) {
    std::cout << s << ";\n";
    conn.exec(s);
  }
}

void copy_rows(pg::Connection& src, pg::Connection& dst, const ddl::TableDdlPlan& plan, const std::string& target) {
  const std::string format = plan.binary_copy ? " WITH (FORMAT binary)" : "";
  std::string cols;
  for (size_t i = 0; i < plan.copy_columns.size(); ++i) cols += (i ? ", " : "") + plan.copy_columns[i];
  PGresult* r = PQexec(src.raw(), ("COPY (" + plan.source_copy_select + ") TO STDOUT" + format).c_str());
  if (PQresultStatus(r) != PGRES_COPY_OUT) throw pg::error_from_result(r, "COPY OUT failed");
  PQclear(r);
  r = PQexec(dst.raw(), ("COPY " + target + " (" + cols + ") FROM STDIN" + format).c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) throw pg::error_from_result(r, "COPY IN failed");
  PQclear(r);
  char* buf = nullptr;
  int n;
  while ((n = PQgetCopyData(src.raw(), &buf, 0)) > 0) {
    PQputCopyData(dst.raw(), buf, n);
    PQfreemem(buf);
  }
  PQclear(PQgetResult(src.raw()));
  PQputCopyEnd(dst.raw(), nullptr);
  r = PQgetResult(dst.raw());
  if (PQresultStatus(r) != PGRES_COMMAND_OK) throw pg::error_from_result(r, "COPY IN failed");
  std::cout << "-- copied " << PQcmdTuples(r) << " rows (" << (plan.binary_copy ? "binary" : "text") << ")\n";
  PQclear(r);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "aside" && argc == 5) {
      auto dst = pg::Connection::open(argv[2], "target");
      dst.exec("SET search_path = ''");
      dst.exec("BEGIN");
      auto existing = catalog::read_table_definition(dst, argv[3], argv[4]);
      auto taken = catalog::relation_names_in_schema(dst, argv[3]);
      run_all(dst, ddl::rename_aside_statements(existing, taken));
      dst.exec("COMMIT");
      return 0;
    }
    if (mode != "clone" || (argc != 6 && argc != 8 && argc != 9)) {
      std::cerr << "usage: see the comment at the top of catalog_check.cpp\n";
      return 2;
    }
    auto src = pg::Connection::open(argv[2], "source");
    auto dst = pg::Connection::open(argv[3], "target");
    src.exec("SET search_path = ''");
    dst.exec("SET search_path = ''");
    src.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    auto def = catalog::read_table_definition(src, argv[4], argv[5]);
    ddl::TableDdlOptions opts;
    opts.target_schema = argc >= 8 ? argv[6] : argv[4];
    opts.target_table = argc >= 8 ? argv[7] : argv[5];
    if (argc == 9) {
      std::vector<std::string> cols;
      std::stringstream ss(argv[8]);
      for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
      opts.columns = cols;
    }
    opts.taken_relation_names = catalog::relation_names_in_schema(dst, opts.target_schema);
    auto plan = ddl::plan_table_ddl(def, opts);
    for (const auto& n : plan.notices) std::cout << "-- NOTICE: " << n << "\n";
    dst.exec("BEGIN");
    run_all(dst, plan.pre_data);
    copy_rows(src, dst, plan, dst.quote_ident(opts.target_schema) + "." + dst.quote_ident(opts.target_table));
    run_all(dst, plan.post_data);
    dst.exec("COMMIT");
    src.exec("COMMIT");
    return 0;
  } catch (const pg::PgError& e) {
    std::cerr << "ERROR " << e.sqlstate << ": " << e.message << (e.detail.empty() ? "" : "\nDETAIL: " + e.detail)
              << (e.hint.empty() ? "" : "\nHINT: " + e.hint) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ERROR: " << e.what() << "\n";
    return 1;
  }
}
