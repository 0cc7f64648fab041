#include "preflight/source_facts.h"

#include <map>

#include "catalog/catalog_sql.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"

namespace pgclone::agent::preflight {
namespace {

std::vector<std::string> oids_of(const plan::ScopeRelations& relations) {
  std::vector<std::string> oids;
  for (const auto& r : relations.tables) oids.push_back(r.oid);
  return oids;
}

std::vector<std::string> column(const pg::Result& r, int col) {
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.get(i, col));
  return out;
}

// Sequences and materialized views of the schema: the keeper reads every
// sequence's position (one lock each); materialized views are copied too.
constexpr const char* kSchemaRelationsOfKind =
    "SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND c.relkind = $2"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "   AND d.objid = c.oid AND d.deptype = 'e')";

std::vector<std::string> schema_relations(pg::Connection& source, const std::string& schema, const char* relkind) {
  return column(source.query(kSchemaRelationsOfKind, {schema, std::string(relkind)}), 0);
}

// Objects of the schema that CREATE only lets a superuser make (PostgreSQL
// 15): functions in untrusted languages (C, internal, plpython3u...), base
// types, operator classes and families, text search parsers and templates.
// Members of extensions are left out: CREATE EXTENSION makes them.
constexpr const char* kSuperuserOnly =
    "WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = $1),"
    " ext AS (SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e')"
    " SELECT 'function ' || p.oid::pg_catalog.regprocedure::pg_catalog.text || ' in language ' || l.lanname"
    " FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
    " WHERE p.pronamespace = (SELECT oid FROM ns) AND NOT l.lanpltrusted"
    " AND (p.tableoid, p.oid) NOT IN (SELECT classid, objid FROM ext)"
    " UNION ALL SELECT 'base type ' || t.oid::pg_catalog.regtype::pg_catalog.text FROM pg_catalog.pg_type t"
    " WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typtype = 'b'"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)"
    " AND (t.tableoid, t.oid) NOT IN (SELECT classid, objid FROM ext)"
    " UNION ALL SELECT 'operator class ' || pg_catalog.quote_ident(o.opcname) FROM pg_catalog.pg_opclass o"
    " WHERE o.opcnamespace = (SELECT oid FROM ns) AND (o.tableoid, o.oid) NOT IN (SELECT classid, objid FROM ext)"
    " UNION ALL SELECT 'operator family ' || pg_catalog.quote_ident(f.opfname) FROM pg_catalog.pg_opfamily f"
    " WHERE f.opfnamespace = (SELECT oid FROM ns) AND (f.tableoid, f.oid) NOT IN (SELECT classid, objid FROM ext)"
    " UNION ALL SELECT 'text search parser ' || pg_catalog.quote_ident(s.prsname) FROM pg_catalog.pg_ts_parser s"
    " WHERE s.prsnamespace = (SELECT oid FROM ns) AND (s.tableoid, s.oid) NOT IN (SELECT classid, objid FROM ext)"
    " UNION ALL SELECT 'text search template ' || pg_catalog.quote_ident(s.tmplname) FROM pg_catalog.pg_ts_template s"
    " WHERE s.tmplnamespace = (SELECT oid FROM ns) AND (s.tableoid, s.oid) NOT IN (SELECT classid, objid FROM ext)"
    " ORDER BY 1";

// Collations of other schemas used by the schema's columns and domains.
constexpr const char* kForeignCollations =
    "SELECT DISTINCT cn.nspname, co.collname FROM ("
    "  SELECT a.attcollation AS coll FROM pg_catalog.pg_attribute a"
    "  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f','c')"
    "  UNION SELECT t.typcollation FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
    "  WHERE n.nspname = $1 AND t.typtype = 'd'"
    ") used JOIN pg_catalog.pg_collation co ON co.oid = used.coll"
    " JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace"
    " WHERE used.coll <> 0 AND co.collname <> 'default' AND cn.nspname <> $1 ORDER BY 1, 2";

// The clone's own reading of the scope, in a savepoint: a refusal (a
// sequence the user may not read, say) is what the clone would meet too.
void read_plan(pg::Connection& source, const std::string& schema, SourceScope& scope) {
  plan::CloneScope clone_scope;
  clone_scope.schemas = {schema};
  clone_scope.source_owners = true;  // so that plan.owners names them ("owner": "source")
  source.exec("SAVEPOINT pgclone_preflight");
  try {
    scope.plan = plan::plan_clone(source, clone_scope, scope.relations);
    source.exec("RELEASE SAVEPOINT pgclone_preflight");
  } catch (const pg::PgError& e) {
    if (e.sqlstate.rfind("08", 0) == 0 || e.sqlstate.rfind("57", 0) == 0) throw;
    source.exec("ROLLBACK TO SAVEPOINT pgclone_preflight; RELEASE SAVEPOINT pgclone_preflight");
    scope.plan_error = e.message + " (SQLSTATE " + e.sqlstate + ")";
  }
}

}  // namespace

std::string UsedCollation::shown() const { return ddl::qualified_name(schema, name); }

SourceServer read_source_server(pg::Connection& source) {
  const pg::Result r = source.query(
      "SELECT pg_catalog.current_setting('server_version') AS version,"
      " pg_catalog.current_setting('server_version_num')::int AS version_num,"
      " pg_catalog.pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,"
      " CURRENT_USER AS usr, (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER) AS superuser"
      " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()");
  SourceServer s;
  s.version = r.get(0, "version");
  s.version_num = static_cast<int>(r.get_int(0, "version_num"));
  s.encoding = r.get(0, "encoding");
  s.collate = r.get(0, "collate");
  s.ctype = r.get(0, "ctype");
  s.user = r.get(0, "usr");
  s.superuser = r.get_bool(0, "superuser");
  const pg::Result settings = source.query(
      "SELECT name, setting::bigint FROM pg_catalog.pg_settings WHERE name IN ('max_locks_per_transaction',"
      " 'max_connections', 'max_prepared_transactions', 'autovacuum_max_workers', 'max_worker_processes',"
      " 'max_wal_senders')");
  std::map<std::string, std::int64_t*> fields = {
      {"max_locks_per_transaction", &s.locks.max_locks_per_transaction},
      {"max_connections", &s.locks.max_connections},
      {"max_prepared_transactions", &s.locks.max_prepared_transactions},
      {"autovacuum_max_workers", &s.locks.autovacuum_max_workers},
      {"max_worker_processes", &s.locks.max_worker_processes},
      {"max_wal_senders", &s.locks.max_wal_senders}};
  for (int i = 0; i < settings.rows(); ++i) *fields.at(settings.get(i, 0)) = std::stoll(settings.get(i, 1));
  return s;
}

bool schema_exists(pg::Connection& source, const std::string& schema) {
  return source.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() > 0;
}

SourceScope read_source_scope(pg::Connection& source, const std::string& schema) {
  SourceScope scope;
  plan::CloneScope clone_scope;
  clone_scope.schemas = {schema};
  scope.relations = plan::select_scope_relations(source, clone_scope);

  const std::vector<std::string> sequences = schema_relations(source, schema, "S");
  const std::vector<std::string> matviews = schema_relations(source, schema, "m");
  scope.locked_tables = static_cast<std::int64_t>(plan::relations_to_lock(scope.relations).size());
  scope.read_sequences = static_cast<std::int64_t>(sequences.size());
  scope.locks_needed = scope.locked_tables + scope.read_sequences;

  std::vector<std::string> copied = oids_of(scope.relations);
  copied.insert(copied.end(), matviews.begin(), matviews.end());
  scope.total_bytes = std::stoll(
      source
          .query("SELECT COALESCE(sum(pg_catalog.pg_total_relation_size(o)), 0)::bigint"
                 " FROM pg_catalog.unnest($1::pg_catalog.oid[]) o",
                 {catalog::text_array_literal(copied)})
          .get(0, 0));

  scope.schema_usage =
      source.query("SELECT pg_catalog.has_schema_privilege($1, 'USAGE')", {schema}).get(0, 0) == "t";
  std::vector<std::string> read = copied;
  read.insert(read.end(), sequences.begin(), sequences.end());
  scope.unreadable = column(
      source.query("SELECT o::pg_catalog.regclass::pg_catalog.text FROM pg_catalog.unnest($1::pg_catalog.oid[]) o"
                   " WHERE NOT pg_catalog.has_table_privilege(o, 'SELECT') ORDER BY 1",
                   {catalog::text_array_literal(read)}),
      0);

  const pg::Result collations = source.query(kForeignCollations, {schema});
  for (int i = 0; i < collations.rows(); ++i) scope.collations.push_back({collations.get(i, 0), collations.get(i, 1)});
  scope.superuser_only = column(source.query(kSuperuserOnly, {schema}), 0);

  read_plan(source, schema, scope);
  if (scope.plan) {
    std::vector<std::string> names;
    for (const plan::Step& step : scope.plan->steps) {
      if (step.kind == "extension") names.push_back(step.id.substr(step.id.find(':') + 1));
    }
    const pg::Result r = source.query(
        "SELECT n, COALESCE((SELECT extversion FROM pg_catalog.pg_extension WHERE extname = n), '')"
        " FROM pg_catalog.unnest($1::pg_catalog.text[]) n",
        {catalog::text_array_literal(names)});
    for (int i = 0; i < r.rows(); ++i) scope.extensions[r.get(i, 0)] = r.get(i, 1);
  }
  return scope;
}

}  // namespace pgclone::agent::preflight
