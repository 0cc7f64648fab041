#include "clone/large_objects.h"

#include <optional>
#include <string>
#include <vector>

#include "clone/job_session.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::clone {
namespace {

constexpr int kChunkBytes = 1 << 20;
constexpr const char* kDuplicateObject = "42710";

bool target_holds(pg::Connection& target, const std::string& oid) {
  return target.query("SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = $1::pg_catalog.oid", {oid})
             .rows() > 0;
}

// True when the target's large object `oid` has the source's contents and
// comment (source_comment: nullopt for none), compared chunk by chunk.
bool same_as_source(pg::Connection& source, pg::Connection& target, const std::string& oid,
                    const std::optional<std::string>& source_comment) {
  for (long long offset = 0;; offset += kChunkBytes) {
    const std::vector<std::optional<std::string>> params{oid, std::to_string(offset), std::to_string(kChunkBytes)};
    const char* sql = "SELECT pg_catalog.lo_get($1::pg_catalog.oid, $2::bigint, $3::int)";
    const std::string ours = source.query(sql, params).get(0, 0);  // bytea in hex text form
    if (target.query(sql, params).get(0, 0) != ours) return false;
    if (static_cast<long long>((ours.size() - 2) / 2) < kChunkBytes) break;
  }
  pg::Result comment = target.query("SELECT pg_catalog.obj_description($1::pg_catalog.oid, 'pg_largeobject')", {oid});
  return (comment.is_null(0, 0) ? std::nullopt : std::optional<std::string>(comment.get(0, 0))) == source_comment;
}

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
      // Large objects belong to no schema, so they cannot be moved aside.
      // conflict=rename keeps what the target has: one of the same OID is
      // fine when it holds the source's contents (say, the previous clone of
      // this source), and an error otherwise.
      if (job.options().conflict == protocol::ConflictMode::kRename && target_holds(target, oid)) {
        const std::optional<std::string> comment =
            objects.is_null(i, 1) ? std::nullopt : std::optional<std::string>(objects.get(i, 1));
        if (same_as_source(source, target, oid, comment)) continue;
        // Becomes "could not clone large object N: the target ..." below.
        throw pg::PgError(kDuplicateObject, "the target already has a large object of that OID with other contents",
                          "conflict=rename keeps the target's objects, and a large object belongs to no schema "
                          "that could be moved aside.",
                          "Use conflict \"replace\" to overwrite the target's large objects of the same OIDs, or "
                          "unlink this one first (lo_unlink).");
      }
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
