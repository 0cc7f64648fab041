#include "clone/clone_masks.h"

#include "catalog/table_catalog.h"
#include "ddl/sql_text.h"
#include "mask/masked_select.h"
#include "mask/source_checks.h"

namespace pgclone::agent::clone {
namespace {

std::vector<const catalog::TableDefinition*> pointers(const std::vector<catalog::TableDefinition>& definitions) {
  std::vector<const catalog::TableDefinition*> out;
  for (const auto& d : definitions) out.push_back(&d);
  return out;
}

}  // namespace

CloneMasks CloneMasks::for_table(jobs::Job& job, pg::Connection& source, const catalog::TableDefinition& definition) {
  CloneMasks out;
  const protocol::CloneOptions& options = job.options();
  if (options.mask.empty()) return out;
  out.definitions_.push_back(definition);
  mask::MaskRequest request;
  request.table_mask = &options.mask;
  request.table = ddl::qualified_name(definition.schema, definition.name);
  request.columns = options.columns;
  const auto tables = pointers(out.definitions_);
  out.masks_ = mask::resolve_masks(tables, request);
  mask::check_masks_on_source(source, tables, out.masks_);
  for (const std::string& notice : out.masks_.notices) job.add_notice("notice", notice);
  return out;
}

CloneMasks CloneMasks::for_tree(jobs::Job& job, pg::Connection& source,
                                const std::vector<catalog::RelationEntry>& tree) {
  CloneMasks out;
  const protocol::CloneOptions& options = job.options();
  if (options.mask.empty() || tree.empty()) return out;
  out.definitions_ = catalog::read_relation_definitions(source, tree);
  mask::MaskRequest request;
  request.table_mask = &options.mask;
  request.table = ddl::qualified_name(tree.front().schema, tree.front().name);
  const auto tables = pointers(out.definitions_);
  out.masks_ = mask::resolve_masks(tables, request);
  mask::check_masks_on_source(source, tables, out.masks_);
  for (const std::string& notice : out.masks_.notices) job.add_notice("notice", notice);
  return out;
}

CloneMasks CloneMasks::for_scope(jobs::Job& job, pg::Connection& source, const plan::CloneScope& scope) {
  CloneMasks out;
  const protocol::CloneOptions& options = job.options();
  if (options.masks.empty() || scope.functions_only) return out;
  const plan::ScopeRelations relations = plan::select_scope_relations(source, scope);
  out.definitions_ = catalog::read_relation_definitions(source, relations.tables);
  mask::MaskRequest request;
  request.spec = &options.masks;
  if (options.masks.from_policies) request.policies = mask::read_source_policies(source);
  const auto tables = pointers(out.definitions_);
  out.masks_ = mask::resolve_masks(tables, request);
  mask::check_masks_on_source(source, tables, out.masks_);
  for (const std::string& notice : out.masks_.notices) job.add_notice("notice", notice);
  return out;
}

std::optional<std::string> CloneMasks::copy_select(const std::string& source_schema, const std::string& source_name,
                                                   const std::vector<std::string>& copy_columns,
                                                   const std::string& from,
                                                   const std::optional<std::string>& where) const {
  const protocol::ColumnMasks* rules = masks_.of(ddl::qualified_name(source_schema, source_name));
  if (!rules) return std::nullopt;
  for (const auto& d : definitions_) {
    if (d.schema == source_schema && d.name == source_name)
      return mask::masked_copy_select(d, copy_columns, *rules, from, where);
  }
  return std::nullopt;
}

void CloneMasks::apply(plan::ClonePlan& plan) const {
  for (plan::TableTask& task : plan.tables) {
    if (task.partitioned_parent) continue;
    const std::optional<std::string> filter =
        task.row_filter.empty() ? std::nullopt : std::optional<std::string>(task.row_filter);
    if (auto select = copy_select(task.source_schema, task.source_name, task.copy_columns, task.source_from, filter))
      task.source_copy_select = *select;
  }
}

}  // namespace pgclone::agent::clone
