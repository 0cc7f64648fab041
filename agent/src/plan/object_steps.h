// Plan steps for the objects of a scope other than tables: schemas, types,
// functions and aggregates, stand-alone sequences, views and materialized
// views, rules. Each step is mapped to its catalog key so pg_depend edges
// can later order it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/extra_objects_catalog.h"
#include "catalog/policy_catalog.h"
#include "catalog/routine_catalog.h"
#include "catalog/schema_catalog.h"
#include "catalog/type_catalog.h"
#include "catalog/view_catalog.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

void add_schema_steps(PlanBuilder& plan, const std::vector<catalog::SchemaDefinition>& schemas);
void add_type_steps(PlanBuilder& plan, const std::vector<catalog::TypeDefinition>& types);
void add_routine_steps(PlanBuilder& plan, const std::vector<catalog::RoutineDefinition>& routines);
void add_collation_steps(PlanBuilder& plan, const std::vector<catalog::CollationDefinition>& collations);
// Extended statistics of cloned tables (post-data: they only describe data).
void add_statistics_steps(PlanBuilder& plan, const std::vector<catalog::StatisticsDefinition>& statistics);
void add_sequence_steps(PlanBuilder& plan, const std::vector<catalog::StandaloneSequence>& sequences);

// Views get a placeholder step first when their oid is in `placeholders`
// (something that the view itself uses needs the view's row type).
// Materialized views: CREATE ... WITH NO DATA, indexes (when `indexes`),
// then a refresh step when the source one is populated. Triggers on views
// (INSTEAD OF...) when `triggers`.
void add_view_steps(PlanBuilder& plan, const std::vector<catalog::ViewDefinition>& views,
                    const std::set<std::string>& placeholders, bool indexes, bool triggers);

// relation_names: relation oid -> quoted qualified name, for relations in the clone.
void add_rule_steps(PlanBuilder& plan, const std::vector<catalog::RuleDefinition>& rules,
                    const std::map<std::string, std::string>& relation_names);

// A refresh waits for the refreshes of the materialized views it reads.
void link_matview_refreshes(PlanBuilder& plan);

}  // namespace pgclone::agent::plan
