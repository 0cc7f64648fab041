#pragma once
// What a schema or database clone will do, in order: produced by the planner
// from the source catalog under the job's snapshot, consumed by the executor.
// Pure data; no I/O.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ddl/privilege_ddl.h"

namespace pgclone::agent::plan {

// When a step runs relative to the data load.
enum class Section {
  kPreData,   // before any data: schemas, types, functions, sequences, tables, views...
  kTablePost, // right after one table's data, on the same connection and transaction as
              // its load: that table's indexes, PK/UNIQUE/EXCLUDE, CHECKs, triggers...
  kPostData,  // after every table is loaded: foreign keys, matview data, policies,
              // sequence positions, partition index attachment, ...
  kLast,      // after everything else, large objects included, in one transaction: default
              // privileges (so they change no ACL of an object the clone creates), the
              // database's own ACL and settings, publications, event triggers (so none fires
              // during the clone)
};

// One unit of DDL: one object (or one facet of one), its statements in order.
struct Step {
  std::string id;           // unique, stable key, e.g. "table:public.orders", "fk:public.orders.orders_cust_fk"
  std::string kind;         // schema, extension, type, sequence, table, view, matview, function,
                            // aggregate, index, constraint, fk, trigger, policy, rule, comment,
                            // sequence_value, matview_refresh, large_object, ...
  std::string description;  // for errors and notices, e.g. "view sales.\"Big Orders\""
  Section section = Section::kPreData;
  std::string table_id;     // for kTablePost steps: the TableTask it belongs to
  std::vector<std::string> statements;
  std::vector<std::string> depends_on;  // ids of steps that must run first
};

// One table's data load.
struct TableTask {
  std::string id;                  // same as its create step's id, e.g. "table:public.orders"
  std::string source_schema, source_name;
  std::string target_qualified;    // quoted, qualified name on the target
  std::vector<std::string> copy_columns;  // quoted
  std::string source_copy_select;  // SELECT <cols> FROM <source> (no WHERE); masked: see mask/masked_select.h
  std::string source_from;         // the source table as the SELECT names it
  bool whole_table_copy = false;   // COPY of source_from's table reads the unchanged SELECT's rows
  std::string row_filter;          // a sample's rows (source_copy_select has it; masks keep it); "" for all
  bool binary_copy = true;
  std::int64_t estimated_bytes = 0;  // the source's main fork and TOAST table (progress, scheduling)
  bool partitioned_parent = false;   // no data of its own: its leaf partitions are tasks
};

struct ClonePlan {
  // Topologically sorted by depends_on (ties broken by kind priority then id,
  // so the order is deterministic). Every depends_on refers to a step here.
  std::vector<Step> steps;
  std::vector<TableTask> tables;
  std::vector<std::string> notices;
  // The statements of each "privileges" step, by step id: the executor keeps
  // the revocations and filters the GRANTs (option "privileges", roles
  // missing on the target) before running the step.
  std::map<std::string, std::vector<ddl::PrivilegeStatement>> privileges;
  // "owner": "source": the roles the "owner" steps give objects to, which
  // must exist on the target and be the caller's to assign.
  std::set<std::string> owners;
};

}  // namespace pgclone::agent::plan
