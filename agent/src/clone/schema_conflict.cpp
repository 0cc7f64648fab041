#include "clone/schema_conflict.h"

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "clone/extension_relocation.h"
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pgclone/protocol/sqlstate.h"
#include "util/log.h"

namespace pgclone::agent::clone {
namespace {

std::string unused_schema_name(pg::Connection& target, const std::string& wanted) {
  pg::Result r = target.query("SELECT nspname FROM pg_catalog.pg_namespace");
  std::set<std::string> taken;
  for (int i = 0; i < r.rows(); ++i) taken.insert(r.get(i, 0));
  return ddl::make_unique_name(wanted, taken);
}

// Empties a schema that was empty before this clone reused it, keeping the
// schema itself (its owner, privileges and comment are not ours to change).
void drop_schema_contents(pg::Connection& target, const std::string& schema) {
  pg::Result r = target.query(
      "SELECT pg_catalog.format('DROP %s IF EXISTS %s CASCADE', kind, name) FROM ("
      "  SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "
      "         WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,"
      "         c.oid::pg_catalog.regclass::text AS name, 1 AS pass"
      "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      "  WHERE n.nspname = $1 AND c.relkind IN ('r','p','v','m','S','f')"
      "  UNION ALL"
      "  SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,"
      "         p.oid::pg_catalog.regprocedure::text, 2"
      "  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
      "  WHERE n.nspname = $1"
      "  UNION ALL"
      "  SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::pg_catalog.regtype::text, 3"
      "  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
      "  WHERE n.nspname = $1 AND t.typtype IN ('e','d','r','c')"
      "    AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c')"
      ") objects ORDER BY pass",
      {schema});
  for (int i = 0; i < r.rows(); ++i) target.exec(r.get(i, 0));
}

// DROP ... CASCADE locks an index before its table, autovacuum a table
// before its indexes: on a schema whose tables autovacuum is analyzing, the
// two can deadlock. Locked first, in one statement, the tables make
// autovacuum give way (it is cancelled when it blocks a lock).
// Drops a schema (if it exists) in the caller's transaction.
void drop_schema_cascade(pg::Connection& target, const std::string& schema) {
  pg::Result r = target.query(
      "SELECT pg_catalog.string_agg(c.oid::pg_catalog.regclass::text, ', ' ORDER BY c.oid) "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')",
      {schema});
  if (!r.is_null(0, 0)) target.exec("LOCK TABLE " + r.get(0, 0) + " IN ACCESS EXCLUSIVE MODE");
  target.exec("DROP SCHEMA IF EXISTS " + ddl::quote_ident(schema) + " CASCADE");
}

// Whatever still deadlocks (autovacuum on a materialized view or a TOAST
// table) is gone on the next attempt; fn must roll back all it did on error.
template <typename Fn>
void retrying_deadlocks(const std::string& what, Fn&& fn) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    try {
      fn();
      return;
    } catch (const pg::PgError& e) {
      if (e.sqlstate != protocol::sqlstate::kDeadlockDetected || attempt == kAttempts) throw;
      log::warn(what, " deadlocked (attempt ", attempt, " of ", kAttempts, "); trying again");
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
  }
}

std::string aside_base(const std::string& schema, const std::string& suffix) {
  return ddl::truncate_identifier(schema + suffix);
}

// Runs fn in one transaction on the target; rolls back when it throws.
template <typename Fn>
void in_transaction(pg::Connection& target, Fn&& fn) {
  target.exec("BEGIN");
  try {
    fn();
    target.exec("COMMIT");
  } catch (...) {
    try {
      target.exec("ROLLBACK");
    } catch (const std::exception& e) {
      log::warn("could not roll back on the target: ", e.what());
    }
    throw;
  }
}

// Inside the caller's transaction. "pg_" names are reserved for system
// schemas; renaming one (to or from such a name) needs the same switch
// pg_dump's restore uses, which only a superuser may set.
void rename_schema(pg::Connection& target, const std::string& from, const std::string& to) {
  const bool reserved = from.rfind("pg_", 0) == 0 || to.rfind("pg_", 0) == 0;
  if (reserved) target.exec("SET LOCAL allow_system_table_mods = on");
  target.exec("ALTER SCHEMA " + ddl::quote_ident(from) + " RENAME TO " + ddl::quote_ident(to));
  if (reserved) target.exec("SET LOCAL allow_system_table_mods = off");
}

}  // namespace

std::string schema_state(pg::Connection& target, const std::string& schema) {
  pg::Result r = target.query(
      "SELECT n.oid IS NOT NULL, "
      "       EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE relnamespace = n.oid) "
      "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE pronamespace = n.oid) "
      "    OR EXISTS (SELECT 1 FROM pg_catalog.pg_type WHERE typnamespace = n.oid) "
      "FROM (SELECT $1::text AS name) arg "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = arg.name",
      {schema});
  if (r.get(0, 0) != "t") return "";
  return r.get(0, 1) == "t" ? "used" : "empty";
}

std::vector<SchemaDisposition> schemas_for_functions(pg::Connection& target, const std::vector<std::string>& schemas) {
  std::vector<SchemaDisposition> out;
  for (const std::string& schema : schemas) {
    SchemaDisposition d;
    d.name = schema;
    d.create = schema_state(target, schema).empty();
    out.push_back(d);
  }
  return out;
}

void resolve_schema_conflicts(pg::Connection& target, const std::vector<std::string>& schemas,
                              protocol::ConflictMode mode, std::int64_t job_id,
                              std::vector<SchemaDisposition>& out) {
  // The extensions of every schema to be moved aside must be relocatable
  // into the new schema: checked for all of them before anything is changed.
  std::map<std::string, std::vector<std::string>> extensions_of;
  if (mode == protocol::ConflictMode::kReplace || mode == protocol::ConflictMode::kRename) {
    for (const std::string& schema : schemas) {
      if (schema_state(target, schema) == "used") extensions_of[schema] = extensions_to_relocate(target, schema, mode);
    }
  }
  for (const std::string& schema : schemas) {
    SchemaDisposition d;
    d.name = schema;
    const std::string state = schema_state(target, schema);
    if (state == "empty") d.create = false;
    if (state == "used") {
      const std::string shown = ddl::quote_ident(schema);
      switch (mode) {
        case protocol::ConflictMode::kError:
          throw pg::PgError(protocol::sqlstate::kDuplicateSchema,
                            "schema " + shown + " already exists on the target and is not empty", "",
                            "Use the \"conflict\" option (skip, replace or rename) to clone it anyway.");
        case protocol::ConflictMode::kSkip:
          d.clone = false;
          break;
        case protocol::ConflictMode::kReplace:
          d.moved_aside_as = unused_schema_name(target, aside_base(schema, "_replaced_" + std::to_string(job_id)));
          d.drop_aside_after = true;
          break;
        case protocol::ConflictMode::kRename:
          d.moved_aside_as = unused_schema_name(target, aside_base(schema, "_old"));
          break;
      }
      if (!d.moved_aside_as.empty()) {
        in_transaction(target, [&] { rename_schema(target, schema, d.moved_aside_as); });
        d.relocated_extensions = extensions_of[schema];
      }
    }
    out.push_back(d);
  }
}

std::string encode_disposition(const SchemaDisposition& d) {
  const nlohmann::json doc = {{"name", d.name},
                              {"clone", d.clone},
                              {"create", d.create},
                              {"aside", d.moved_aside_as},
                              {"drop_aside", d.drop_aside_after},
                              {"extensions", d.relocated_extensions}};
  return kDispositionPrefix + doc.dump();
}

SchemaDisposition decode_disposition(const std::string& checkpoint) {
  const auto doc = nlohmann::json::parse(checkpoint.substr(std::string(kDispositionPrefix).size()));
  SchemaDisposition d;
  d.name = doc.at("name").get<std::string>();
  d.clone = doc.at("clone").get<bool>();
  d.create = doc.at("create").get<bool>();
  d.moved_aside_as = doc.at("aside").get<std::string>();
  d.drop_aside_after = doc.at("drop_aside").get<bool>();
  // Journals written before extensions were relocated have no such key.
  if (doc.contains("extensions")) d.relocated_extensions = doc.at("extensions").get<std::vector<std::string>>();
  return d;
}

void relocate_extensions_into_new_schema(pg::Connection& target, const SchemaDisposition& d) {
  if (d.moved_aside_as.empty()) return;
  move_extensions(target, d.relocated_extensions, d.moved_aside_as, d.name);
}

void finish_schema_conflicts(pg::Connection& target, const std::vector<SchemaDisposition>& dispositions) {
  for (const SchemaDisposition& d : dispositions) {
    if (!d.drop_aside_after) continue;
    // The extensions moved into the new schema when it was created; should
    // one still be in the old schema, it moves now, so CASCADE cannot drop it
    // together with whatever uses it in other schemas.
    retrying_deadlocks("dropping the replaced schema " + ddl::quote_ident(d.moved_aside_as), [&] {
      in_transaction(target, [&] {
        move_extensions(target, d.relocated_extensions, d.moved_aside_as, d.name);
        drop_schema_cascade(target, d.moved_aside_as);
      });
    });
  }
}

void undo_schema_clone(pg::Connection& target, const std::vector<SchemaDisposition>& dispositions) noexcept {
  for (const SchemaDisposition& d : dispositions) {
    if (!d.clone) continue;
    try {
      target.exec("ROLLBACK");  // harmless when no transaction is open
      if (!d.moved_aside_as.empty()) {
        // All or nothing: the extensions go back into the old schema first
        // (DROP ... CASCADE would take them, and every column elsewhere that
        // uses them, along), then the new schema goes and the old one takes
        // its name again.
        retrying_deadlocks("undoing the clone of schema " + ddl::quote_ident(d.name), [&] {
          in_transaction(target, [&] {
            move_extensions(target, d.relocated_extensions, d.name, d.moved_aside_as);
            drop_schema_cascade(target, d.name);
            rename_schema(target, d.moved_aside_as, d.name);
          });
        });
      } else if (d.create) {
        retrying_deadlocks("undoing the clone of schema " + ddl::quote_ident(d.name),
                           [&] { in_transaction(target, [&] { drop_schema_cascade(target, d.name); }); });
      } else {
        drop_schema_contents(target, d.name);
      }
    } catch (const std::exception& e) {
      log::error("could not undo the partial clone of schema ", d.name, ": ", e.what());
    }
  }
}

}  // namespace pgclone::agent::clone
