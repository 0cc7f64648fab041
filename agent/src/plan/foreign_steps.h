// Plan steps for foreign data wrappers, foreign servers and user mappings.
// They live in no schema: a database clone brings all of them (as pg_dump
// does for a whole database); a schema clone brings the servers its foreign
// tables use, with their wrappers and user mappings (the executor then keeps
// the ones the target already has and says which it creates, see
// clone/foreign_servers.h). A wrapper that belongs to an extension
// (postgres_fdw, file_fdw...) comes with CREATE EXTENSION.
#pragma once

#include <vector>

#include "catalog/foreign_catalog.h"
#include "catalog/table_definition.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

struct ForeignDataScope {
  bool all = false;           // every wrapper, server and mapping (database clones)
  bool keep_secrets = false;  // user mappings keep password/sslpassword (the caller is a superuser)
};

void add_foreign_data_steps(PlanBuilder& plan, const catalog::ForeignObjects& objects,
                            const std::vector<catalog::TableDefinition>& tables, const ForeignDataScope& scope);

}  // namespace pgclone::agent::plan
