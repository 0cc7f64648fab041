#pragma once
// One side's catalog, as the clone's readers return it, reduced to what
// pgclone.diff() compares (schema_snapshot.h). Pure: no connection, so what
// is compared (and what is deliberately not) is unit-tested here.
//
// Not compared: OIDs, owners (a clone made with "owner": "caller" belongs to
// its caller), the grantor of ACL entries (the owner's entries are compared
// as "OWNER=..."; an ACL equal to the owner's default privileges counts as
// the default), comments, statistics targets and storage settings, sequence
// positions and matview population (data), column order.

#include <string>
#include <vector>

#include "catalog/policy_catalog.h"
#include "catalog/privilege_catalog.h"
#include "catalog/routine_catalog.h"
#include "catalog/schema_catalog.h"
#include "catalog/table_definition.h"
#include "catalog/type_catalog.h"
#include "catalog/view_catalog.h"
#include "diff/schema_snapshot.h"

namespace pgclone::agent::diff {

// What the readers returned for one side (snapshot_reader.h), schema-scoped.
struct SideCatalog {
  std::string schema;
  bool exists = false;
  std::vector<catalog::TableDefinition> tables;
  std::vector<catalog::StandaloneSequence> sequences;
  std::vector<catalog::ViewDefinition> views;
  std::vector<catalog::RoutineDefinition> routines;
  std::vector<catalog::TypeDefinition> types;
  std::vector<catalog::RowSecurity> row_security;
  std::vector<catalog::PolicyDefinition> policies;
  std::vector<catalog::PrivilegeEntry> privileges;
};

SchemaSnapshot build_snapshot(const SideCatalog& side);

// An ACL as compared: grantors dropped, the owner shown as OWNER and PUBLIC
// as PUBLIC, sorted; empty when it equals the owner's default privileges
// for that kind of object (what a NULL ACL means).
std::vector<std::string> normalized_acl(const catalog::PrivilegeEntry& entry);

}  // namespace pgclone::agent::diff
