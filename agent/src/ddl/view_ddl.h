// Views and materialized views. Pure.
#pragma once

#include <string>
#include <vector>

#include "catalog/view_catalog.h"

namespace pgclone::agent::ddl {

// CREATE VIEW ... WITH (options) AS <query>, column defaults, comments on the
// view and its columns. Materialized views are created WITH NO DATA: their
// data comes from matview_refresh_statement() once the tables are loaded.
// replace: CREATE OR REPLACE, over a placeholder.
std::vector<std::string> view_statements(const catalog::ViewDefinition& view, bool replace = false);

// A view with the right columns and types but no dependencies (every column
// NULL::type), to break a cycle: a function returning the view's rows must
// exist before the view that calls it. view_statements() then runs with
// CREATE OR REPLACE (replace = true).
std::vector<std::string> view_placeholder_statements(const catalog::ViewDefinition& view);

// Indexes of a materialized view (pg_get_indexdef), CLUSTER ON and comments.
std::vector<std::string> matview_index_statements(const catalog::ViewDefinition& view,
                                                  const catalog::IndexDefinition& index);

// A trigger on a view (as pg_get_triggerdef prints it), its enabled state
// and comment.
std::vector<std::string> view_trigger_statements(const catalog::ViewDefinition& view,
                                                 const catalog::TriggerDefinition& trigger);

std::string matview_refresh_statement(const catalog::ViewDefinition& view);

}  // namespace pgclone::agent::ddl
