#pragma once
// Messages between a coordinator agent (ROUTER on --worker-listen) and the
// worker agents that join it (DEALER, --join). Same envelope and framing as
// the extension's messages; the kinds live in MessageKind (40 and up).
// Every connection is CURVE-authenticated both ways: the worker knows the
// coordinator's public key, the coordinator admits only the worker keys it
// lists (--worker-keys).
//
// Flow control is by credit: a worker announces its slots in its hello and
// the coordinator never has more tasks out at a worker than that; each
// result returns one slot. Heartbeats go both ways; either side that hears
// nothing for the timeout the welcome names treats the other as gone.

#include <cstdint>
#include <msgpack.hpp>
#include <string>
#include <vector>

#include "pgclone/protocol/error_info.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::protocol {

// Upper bound of the slots one worker may offer (its --workers).
inline constexpr int kMaxWorkerSlots = 256;
// Longest worker name (--worker-name; the host name by default).
inline constexpr std::size_t kMaxWorkerNameBytes = 64;

// worker -> coordinator, first and after every reconnection.
struct WorkerHello {
  std::string name;  // shown in agent_status() and the jobs' detail
  std::int32_t slots = 0;
  std::string product_version;
  MSGPACK_DEFINE(name, slots, product_version);
};

// coordinator -> worker: admitted; the intervals both sides keep.
struct WorkerWelcome {
  std::string coordinator;  // the coordinator's name, for the worker's log
  std::int32_t heartbeat_ms = 0;
  std::int32_t timeout_ms = 0;
  MSGPACK_DEFINE(coordinator, heartbeat_ms, timeout_ms);
};

// A running task's progress so far.
struct TaskProgress {
  std::uint64_t task_id = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  MSGPACK_DEFINE(task_id, rows, bytes);
};

// worker -> coordinator, every heartbeat_ms.
struct WorkerHeartbeat {
  std::vector<TaskProgress> tasks;
  bool draining = false;  // shutting down: no new tasks, please
  bool leaving = false;   // drained: this is its last message
  MSGPACK_DEFINE(tasks, draining, leaving);
};

// coordinator -> worker, every heartbeat_ms: the tasks the coordinator
// counts as running there. A task the worker runs and the list lacks was
// given up (its retry may already run elsewhere): the worker stops it.
struct CoordinatorHeartbeat {
  std::vector<std::uint64_t> tasks;
  MSGPACK_DEFINE(tasks);
};

// coordinator -> a peer it does not know (its hello was lost, or the
// coordinator restarted): say hello again.
struct WorkerUnknown {
  int unused = 0;
  MSGPACK_DEFINE(unused);
};

// Who a task acts for, as the coordinator verified it (jobs::JobOwner).
struct TaskOwner {
  std::string server;  // the enrolled server: the worker logs in to it with its own --servers entry
  std::int64_t database_oid = 0;
  std::string database;
  std::int64_t role_oid = 0;
  std::string role;
  bool is_superuser = false;
  MSGPACK_DEFINE(server, database_oid, database, role_oid, role, is_superuser);
};

// One step of DDL run inside the table's load transaction.
struct TaskStep {
  std::string id;
  std::string kind;
  std::string description;
  std::vector<std::string> statements;
  MSGPACK_DEFINE(id, kind, description, statements);
};

// One table's data load (the coordinator's plan::TableTask).
struct TableLoadSpec {
  std::string id;
  std::string source_schema, source_name;
  std::string target_qualified;
  std::vector<std::string> copy_columns;
  std::string source_copy_select;
  std::string source_from;
  bool whole_table_copy = false;
  std::string row_filter;
  bool binary_copy = true;
  std::int64_t estimated_bytes = 0;
  bool partitioned_parent = false;
  MSGPACK_DEFINE(id, source_schema, source_name, target_qualified, copy_columns, source_copy_select,
                 source_from, whole_table_copy, row_filter, binary_copy, estimated_bytes,
                 partitioned_parent);
};

inline constexpr const char* kTaskLoadTable = "load_table";
// Steps run one by one on a target session, each committing on its own
// (foreign key validations): no source, no snapshot, no table.
inline constexpr const char* kTaskRunSteps = "run_steps";

// coordinator -> worker: run this task in one of your slots.
struct TaskAssign {
  std::uint64_t task_id = 0;  // unique per attempt
  std::int64_t job_id = 0;
  std::string kind;           // kTaskLoadTable, kTaskRunSteps
  CloneRequest request;       // the job's request: source conninfo, options
  TaskOwner owner;
  std::string snapshot_id;    // the coordinator keeper's exported snapshot
  bool include_data = true;
  // The table may hold rows of an earlier attempt (a resumed job, or a
  // retry after a worker was lost): truncate it, and skip it when its
  // indexes show that an earlier load committed.
  bool redo = false;
  TableLoadSpec table;
  std::vector<TaskStep> steps;  // the table's own indexes, constraints, triggers; or the steps to run
  MSGPACK_DEFINE(task_id, job_id, kind, request, owner, snapshot_id, include_data, redo, table, steps);
};

// worker -> coordinator: the task ended (one slot free again).
struct TaskResult {
  std::uint64_t task_id = 0;
  bool ok = false;
  bool loaded_before = false;  // redo found the earlier load committed
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  ErrorInfo error;  // when !ok
  std::vector<Notice> notices;
  // The worker did not start it (no free slot, draining): nothing was done,
  // so it may be handed to another slot at once.
  bool refused = false;
  MSGPACK_DEFINE(task_id, ok, loaded_before, rows, bytes, error, notices, refused);
};

// coordinator -> worker: stop the task (its transaction rolls back); the
// worker still answers with its TaskResult.
struct TaskCancel {
  std::uint64_t task_id = 0;
  MSGPACK_DEFINE(task_id);
};

// What a task does, for logs: "loads s.t" or the first step's description.
inline std::string task_summary(const TaskAssign& task) {
  if (task.kind == kTaskLoadTable) return "loads " + task.table.target_qualified;
  return "runs " + (task.steps.empty() ? task.kind : task.steps.front().description);
}

// The application_name of the target session a task's attempt runs on: the
// coordinator finds (and ends) a lost worker's sessions by it.
inline std::string task_application_name(std::uint64_t task_id) {
  return "pgclone-agent task " + std::to_string(task_id);
}

}  // namespace pgclone::protocol
