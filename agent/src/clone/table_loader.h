#pragma once
// Loads the tables of a schema or database clone on a pool of worker threads,
// each with its own source connection (importing the job's snapshot) and
// target connection. Per table, one target transaction: TRUNCATE, COPY …
// FREEZE, then the table's own indexes, constraints and triggers, COMMIT — so
// a table is either complete or empty, and no trigger fires during its load.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "clone/sibling_group.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

struct LoadSettings {
  int workers = 1;
  bool include_data = true;
  std::string snapshot_id;  // empty: each worker takes its own snapshot
  // The session that exported snapshot_id (idle while the tables load), or
  // null: the first worker reads through it instead of opening one more
  // session. A sample's selection has already touched the pages of the rows
  // it chose there, and a new backend pays a page fault per shared buffer it
  // touches first (0.45 s for a 1 % sample of a 6M-row table).
  pg::Connection* snapshot_session = nullptr;
  std::string source_conninfo;
  std::string target_conninfo;
};

class LoadQueue;

// The load running on its workers while the caller goes on, typically
// creating the objects (pre-data) the tables wait for: a table starts once
// the steps `readiness` names for it have committed (load_readiness.h).
class TableLoad {
 public:
  TableLoad(jobs::Job& job, const plan::ClonePlan& plan, const LoadSettings& settings,
            const std::map<std::string, std::size_t>& readiness);
  // A load not finished is stopped: its workers are interrupted and their
  // open transactions roll back.
  ~TableLoad();
  TableLoad(const TableLoad&) = delete;
  TableLoad& operator=(const TableLoad&) = delete;

  // The first `steps` pre-data steps have committed.
  void objects_created(std::size_t steps);
  // Throws a worker's failure now (pg::PgError naming the table), so that
  // pre-data stops at its next batch.
  void throw_if_failed();
  // The load's workers, cancelled together when one fails; a connection
  // enlisted here (Enlisted) is cancelled with them.
  SiblingGroup& siblings();
  // Every object exists: waits for the remaining tables and throws the first
  // failure.
  void finish();

 private:
  jobs::Job& job_;
  const LoadSettings settings_;
  std::unique_ptr<LoadQueue> queue_;
  std::vector<std::thread> workers_;
};


}  // namespace pgclone::agent::clone
