#include "clone/snapshot.h"

#include "clone/job_session.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::clone {
namespace {

// Keeps one LOCK statement to a size the server parses quickly.
constexpr std::size_t kRelationsPerLock = 500;

}  // namespace

void lock_relations(pg::Connection& keeper, const std::vector<std::string>& relations) {
  for (std::size_t begin = 0; begin < relations.size(); begin += kRelationsPerLock) {
    const std::size_t end = std::min(relations.size(), begin + kRelationsPerLock);
    std::vector<std::string> batch(relations.begin() + begin, relations.begin() + end);
    keeper.exec("LOCK TABLE " + ddl::join(batch) + " IN ACCESS SHARE MODE");
  }
}

std::string export_snapshot(pg::Connection& keeper) {
  return keeper.query("SELECT pg_catalog.pg_export_snapshot()").get(0, 0);
}

pg::Connection open_worker_source(const std::string& conninfo, const std::string& snapshot_id, jobs::Job& job) {
  pg::Connection source = open_source(conninfo, job);
  source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!snapshot_id.empty()) {
    source.exec("SET TRANSACTION SNAPSHOT " + ddl::quote_literal(snapshot_id));
  }
  return source;
}

}  // namespace pgclone::agent::clone
