#pragma once
// Option "dependencies" of table() and schema(): the types the cloned
// objects use that live outside what is cloned (another schema, or any
// schema for table()) and are missing on the target. Without the option a
// missing one fails the call before the target is changed (42704 naming it),
// instead of a CREATE TABLE failing half-way; with it, each is created (its
// schema too, when missing) before the objects that use it.

#include <string>
#include <vector>

#include "catalog/type_catalog.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

class TypeDependencies {
 public:
  // Read in the job's snapshot. `columns` empty: every column.
  static TypeDependencies for_relations(pg::Connection& source, const std::vector<std::string>& relation_oids,
                                        const std::vector<std::string>& columns = {});
  static TypeDependencies for_schemas(pg::Connection& source, const std::vector<std::string>& schemas);

  // Finds those missing on the target (by schema and name). Unless `create`,
  // throws 42704 naming the first (all of them in the detail); `used_by`
  // names what uses them ("table public.payment", "schema sales").
  void check_target(pg::Connection& target, bool create, const std::string& used_by);

  // One pre-data step per missing type, deepest first: CREATE SCHEMA IF NOT
  // EXISTS, then the type's definition as on the source.
  std::vector<plan::Step> steps() const;

  // Runs steps() on the target (in the caller's transaction), with a notice
  // per type; returns how many were created.
  int create_missing(pg::Connection& target, jobs::Job& job) const;

 private:
  pg::Connection* source_ = nullptr;
  std::vector<catalog::UsedType> used_;
  std::vector<catalog::TypeDefinition> missing_;  // deepest first
};

}  // namespace pgclone::agent::clone
