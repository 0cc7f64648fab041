#include "clone/large_objects.h"

#include "clone/job_session.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::clone {
namespace {

constexpr int kChunkBytes = 1 << 20;

}  // namespace

std::int64_t copy_large_objects(jobs::Job& job, pg::Connection& source, pg::Connection& target) {
  pg::Result objects = source.query(
      "SELECT m.oid::text, d.description "
      "FROM pg_catalog.pg_largeobject_metadata m "
      "LEFT JOIN pg_catalog.pg_description d ON d.objoid = m.oid "
      "  AND d.classoid = 'pg_catalog.pg_largeobject'::pg_catalog.regclass "
      "ORDER BY m.oid");
  for (int i = 0; i < objects.rows(); ++i) {
    throw_if_stopped(job);
    const std::string oid = objects.get(i, 0);
    try {
      // conflict=replace: the target's large object of the same OID goes.
      if (job.options().conflict == protocol::ConflictMode::kReplace) {
        target.query("SELECT pg_catalog.lo_unlink(m.oid) FROM pg_catalog.pg_largeobject_metadata m "
                     "WHERE m.oid = $1::pg_catalog.oid", {oid});
      }
      target.query("SELECT pg_catalog.lo_create($1::pg_catalog.oid)", {oid});
      for (long long offset = 0;; offset += kChunkBytes) {
        pg::Result chunk = source.query(
            "SELECT pg_catalog.lo_get($1::pg_catalog.oid, $2::bigint, $3::int)",
            {oid, std::to_string(offset), std::to_string(kChunkBytes)});
        const std::string bytes = chunk.get(0, 0);  // bytea in hex text form
        if (bytes.size() <= 2) break;               // "\x": nothing left
        target.query("SELECT pg_catalog.lo_put($1::pg_catalog.oid, $2::bigint, $3::bytea)",
                     {oid, std::to_string(offset), bytes});
        job.add_bytes(static_cast<std::int64_t>((bytes.size() - 2) / 2));
        if (static_cast<long long>((bytes.size() - 2) / 2) < kChunkBytes) break;
      }
      if (!objects.is_null(i, 1)) {
        target.exec("COMMENT ON LARGE OBJECT " + oid + " IS " + ddl::quote_literal(objects.get(i, 1)));
      }
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, "could not clone large object " + oid + ": " + e.message, e.detail,
                        e.hint, e.context);
    }
  }
  return objects.rows();
}

}  // namespace pgclone::agent::clone
