#include "diff/snapshot_reader.h"

#include "catalog/policy_catalog.h"
#include "catalog/privilege_catalog.h"
#include "catalog/routine_catalog.h"
#include "catalog/schema_catalog.h"
#include "catalog/table_catalog.h"
#include "catalog/type_catalog.h"
#include "catalog/view_catalog.h"
#include "plan/schema_planner.h"

namespace pgclone::agent::diff {

bool schema_exists(pg::Connection& conn, const std::string& schema) {
  return conn.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows() > 0;
}

SideCatalog read_side(pg::Connection& conn, const std::string& schema) {
  SideCatalog side;
  side.schema = schema;
  side.exists = schema_exists(conn, schema);
  if (!side.exists) return side;
  const std::vector<std::string> schemas{schema};
  // The tables a schema clone would take: the planner's own scope.
  plan::CloneScope scope;
  scope.schemas = schemas;
  const plan::ScopeRelations relations = plan::select_scope_relations(conn, scope);
  side.tables = catalog::read_relation_definitions(conn, relations.tables);
  side.sequences = catalog::read_standalone_sequences(conn, schemas);
  side.views = catalog::read_views(conn, schemas);
  side.routines = catalog::read_routines(conn, schemas);
  side.types = catalog::read_types(conn, schemas);
  side.row_security = catalog::read_row_security(conn, schemas);
  side.policies = catalog::read_policies(conn, schemas);
  side.privileges = catalog::read_privileges(conn, schemas);
  return side;
}

}  // namespace pgclone::agent::diff
