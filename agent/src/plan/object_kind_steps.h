// Plan steps for the object kinds that live beside types and functions:
// base and shell types, operators, operator families and classes, text
// search objects, conversions, and for database clones the objects outside
// any schema (casts, transforms, access methods). Each step is mapped to its
// catalog key so pg_depend edges order it like everything else.
#pragma once

#include <string>
#include <vector>

#include "catalog/dependency_reader.h"
#include "pg/connection.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

// Reads those objects of the schemas (and with `database_wide`, the
// un-namespaced ones) and adds their steps.
void add_object_kind_steps(PlanBuilder& plan, pg::Connection& source, const std::vector<std::string>& schemas,
                           bool database_wide);

// A base type and its I/O functions depend on each other (the functions
// take or return the type, the type names the functions). As pg_dump does,
// such a function is created against the shell type ("CREATE TYPE name")
// and the full type after the functions: the function's edge to the type is
// turned into one to the shell's key ("shell:1247:<oid>"). Pure.
std::vector<catalog::DependencyEdge> route_io_functions_to_shell_types(std::vector<catalog::DependencyEdge> edges);

}  // namespace pgclone::agent::plan
