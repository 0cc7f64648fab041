#include "plan/table_steps.h"

#include <functional>
#include <map>
#include <set>

#include "catalog/dependency_reader.h"
#include "ddl/definition_text.h"
#include "ddl/policy_ddl.h"
#include "ddl/sql_text.h"
#include "ddl/table_ddl.h"

namespace pgclone::agent::plan {

namespace {

using catalog::TableDefinition;
using ddl::PostKind;

std::string raw_name(const std::string& schema, const std::string& name) { return schema + "." + name; }

std::string table_step_id(const TableDefinition& t) { return "table:" + raw_name(t.schema, t.name); }

struct Facet {
  const char* prefix;
  const char* kind;
  bool per_table_name;  // id carries the table name (constraint, trigger names are per table)
};

Facet facet_of(PostKind k) {
  switch (k) {
    case PostKind::kConstraint: return {"constraint:", "constraint", true};
    case PostKind::kIndex: return {"index:", "index", false};
    case PostKind::kTableProperty: return {"table_property:", "table_property", false};
    case PostKind::kForeignKey: return {"fk:", "fk", true};
    case PostKind::kForeignKeyValidation: return {"fk_validate:", "fk_validate", true};
    case PostKind::kTrigger: return {"trigger:", "trigger", true};
    case PostKind::kSequenceValue: return {"sequence_value:", "sequence_value", false};
  }
  return {"other:", "other", true};
}

}  // namespace

std::string validation_step_id(const std::string& fk_step_id) { return "fk_validate:" + fk_step_id.substr(3); }

void add_table_steps(PlanBuilder& plan, const TableDefinition& t, const TableStepOptions& options,
                     const TableSecurity& security) {
  ddl::TableDdlOptions opts;
  opts.include_indexes = options.indexes;
  opts.include_constraints = options.constraints;
  opts.include_triggers = options.triggers;
  opts.hierarchy = true;
  opts.validate_foreign_keys_separately = true;
  ddl::TableDdlPlan ddl = ddl::plan_table_ddl(t, opts);
  for (const auto& n : ddl.notices) plan.notice("table " + ddl::qualified_name(t.schema, t.name) + ": " + n);

  const bool partitioned = t.relkind == 'p';
  const bool foreign = t.relkind == 'f';
  const std::string id = table_step_id(t);
  const std::string qualified = ddl::qualified_name(t.schema, t.name);
  const std::string shown =
      std::string(partitioned ? "partitioned table " : foreign ? "foreign table " : "table ") + qualified;
  plan.add({id, foreign ? "foreign_table" : "table", shown, Section::kPreData, "", ddl.pre_data, {}});
  plan.map_key(catalog::object_key(catalog::kPgClass, t.oid), id);
  plan.table_steps[qualified] = id;
  if (!t.partition_parent.empty()) plan.depend(id, "table:" + t.partition_parent);  // resolved in link_table_steps

  // A partitioned table's facets cannot ride on a load of its own, nor can
  // a foreign table's: its data lives elsewhere and is never copied.
  const bool no_load = partitioned || foreign;
  const Section after_data = no_load ? Section::kPostData : Section::kTablePost;
  const std::string after_data_table = no_load ? "" : id;
  std::vector<std::string> table_facets;
  for (const auto& item : ddl.post_items) {
    Facet f = facet_of(item.kind);
    std::string step_id = std::string(f.prefix) +
                          (item.kind == PostKind::kSequenceValue ? item.object
                           : item.kind == PostKind::kTableProperty ? raw_name(t.schema, t.name)
                           : f.per_table_name ? raw_name(t.schema, t.name) + "." + item.object
                                              : raw_name(t.schema, item.object));
    if (Step* existing = plan.find(step_id)) {
      existing->statements.push_back(item.statement);
      continue;
    }
    Step s{step_id, f.kind, "", after_data, after_data_table, {item.statement}, {id}};
    switch (item.kind) {
      case PostKind::kConstraint: s.description = "constraint " + ddl::quote_ident(item.object) + " on " + qualified; break;
      case PostKind::kIndex: s.description = "index " + ddl::qualified_name(t.schema, item.object); break;
      case PostKind::kTableProperty: s.description = "clustering and replica identity of " + qualified; break;
      case PostKind::kTrigger: s.description = "trigger " + ddl::quote_ident(item.object) + " on " + qualified; break;
      case PostKind::kForeignKey:
        s.description = "foreign key " + ddl::quote_ident(item.object) + " on " + qualified;
        s.section = Section::kPostData;
        s.table_id.clear();
        break;
      // Added NOT VALID by the foreign key's step; checked once that step ran,
      // in parallel with the other validations (see clone/fk_validation.h).
      case PostKind::kForeignKeyValidation:
        s.description = "validation of foreign key " + ddl::quote_ident(item.object) + " on " + qualified;
        s.section = Section::kPostData;
        s.table_id.clear();
        s.depends_on = {"fk:" + raw_name(t.schema, t.name) + "." + item.object};
        break;
      case PostKind::kSequenceValue:
        s.description = "position of sequence " + item.object;
        s.section = Section::kPostData;
        s.table_id.clear();
        break;
    }
    if (item.kind == PostKind::kIndex) plan.index_steps[ddl::qualified_name(t.schema, item.object)] = step_id;
    if (item.kind == PostKind::kConstraint || item.kind == PostKind::kIndex) table_facets.push_back(step_id);
    Step& added = plan.add(std::move(s));
    if (item.kind == PostKind::kTableProperty) added.depends_on.insert(added.depends_on.end(), table_facets.begin(), table_facets.end());
  }

  for (const auto& c : t.constraints) {
    const std::string raw = raw_name(t.schema, t.name) + "." + c.name;
    const std::string step_id = (c.type == 'f' ? "fk:" : "constraint:") + raw;
    if (plan.has(step_id)) {
      plan.map_key(catalog::object_key(catalog::kPgConstraint, c.oid), step_id);
      if (c.index_name) plan.index_steps[ddl::qualified_name(t.schema, *c.index_name)] = step_id;
    } else if (c.type == 'c' && options.constraints) {
      plan.map_key(catalog::object_key(catalog::kPgConstraint, c.oid), id);  // written inside CREATE TABLE
    } else {
      plan.omitted.insert(catalog::object_key(catalog::kPgConstraint, c.oid));
    }
  }
  for (const auto& x : t.indexes) {
    auto it = plan.index_steps.find(ddl::qualified_name(t.schema, x.name));
    if (it != plan.index_steps.end())
      plan.map_key(catalog::object_key(catalog::kPgClass, x.oid), it->second);
    else
      plan.omitted.insert(catalog::object_key(catalog::kPgClass, x.oid));
  }

  if (security.row_security) {
    auto statements = ddl::row_security_statements(*security.row_security, qualified);
    plan.add({"row_security:" + raw_name(t.schema, t.name), "row_security", "row-level security of " + qualified,
              after_data, after_data_table, statements, {id}});
  }
  for (const auto* p : security.policies) {
    const std::string step_id = "policy:" + raw_name(t.schema, t.name) + "." + p->name;
    plan.add({step_id, "policy", "policy " + ddl::quote_ident(p->name) + " on " + qualified, after_data,
              after_data_table, ddl::policy_statements(*p, qualified), {id}});
    plan.map_key(catalog::object_key(catalog::kPgPolicy, p->oid), step_id);
  }

  if (foreign) return;  // no TableTask: the loader never sees (or COPYs) a foreign table
  TableTask task;
  task.id = id;
  task.source_schema = t.schema;
  task.source_name = t.name;
  task.target_qualified = qualified;
  task.copy_columns = ddl.copy_columns;
  task.source_copy_select = partitioned ? "" : ddl.source_copy_select;
  task.source_from = ddl.source_from;
  task.whole_table_copy = ddl.whole_table_copy;
  task.binary_copy = ddl.binary_copy;
  task.estimated_bytes = options.estimated_bytes;
  task.partitioned_parent = partitioned;
  plan.tables.push_back(std::move(task));
}

namespace {

// A partition's copy of its parent's trigger takes the parent's firing state
// when the parent's trigger is created and when its state is set (both
// recurse). A partition whose own state differs on the source (one partition
// DISABLEd, say) gets it back in a step after its parent's, so a trigger
// disabled on the source never fires on the clone.
void add_partition_trigger_states(PlanBuilder& plan, const std::vector<TableDefinition>& tables) {
  std::map<std::string, const TableDefinition*> by_name;
  for (const auto& t : tables) by_name[ddl::qualified_name(t.schema, t.name)] = &t;
  // The last step that set the trigger's state on t: its own, or an
  // ancestor's (which recursed down to t).
  std::function<std::string(const TableDefinition&, const std::string&)> trigger_step;
  trigger_step = [&](const TableDefinition& t, const std::string& trigger) -> std::string {
    const std::string raw = raw_name(t.schema, t.name) + "." + trigger;
    if (plan.has("trigger_state:" + raw)) return "trigger_state:" + raw;
    if (plan.has("trigger:" + raw)) return "trigger:" + raw;
    auto parent = by_name.find(t.partition_parent);
    return parent == by_name.end() ? "" : trigger_step(*parent->second, trigger);
  };
  // Parents before children, so a child finds the step of the nearest
  // ancestor that set a state.
  std::vector<const TableDefinition*> ordered;
  std::function<void(const TableDefinition&)> visit;
  std::set<const TableDefinition*> seen;
  visit = [&](const TableDefinition& t) {
    if (!seen.insert(&t).second) return;
    auto parent = by_name.find(t.partition_parent);
    if (parent != by_name.end()) visit(*parent->second);
    ordered.push_back(&t);
  };
  for (const auto& t : tables) visit(t);

  for (const TableDefinition* t : ordered) {
    auto parent = by_name.find(t->partition_parent);
    if (parent == by_name.end() || !plan.has(table_step_id(*t))) continue;
    for (const auto& trigger : t->triggers) {
      if (!trigger.from_parent) continue;
      char parent_state = 0;
      for (const auto& pt : parent->second->triggers)
        if (pt.name == trigger.name) parent_state = pt.enabled;
      const std::string after = trigger_step(*parent->second, trigger.name);
      if (parent_state == 0 || parent_state == trigger.enabled || after.empty()) continue;
      const std::string qualified = ddl::qualified_name(t->schema, t->name);
      plan.add({"trigger_state:" + raw_name(t->schema, t->name) + "." + trigger.name, "trigger",
                "state of trigger " + ddl::quote_ident(trigger.name) + " on " + qualified, Section::kPostData, "",
                {ddl::trigger_state_statement(qualified, trigger.name, trigger.enabled)},
                {table_step_id(*t), after}});
    }
  }
}

}  // namespace

void link_table_steps(PlanBuilder& plan, const std::vector<TableDefinition>& tables) {
  // Partition parents were named before every table step existed.
  for (const auto& t : tables) {
    if (t.partition_parent.empty()) continue;
    Step* s = plan.find(table_step_id(t));
    auto it = plan.table_steps.find(t.partition_parent);
    if (!s) continue;
    for (auto& dep : s->depends_on)
      if (dep == "table:" + t.partition_parent) dep = it == plan.table_steps.end() ? "" : it->second;
    if (it == plan.table_steps.end())
      plan.notice("partition " + ddl::qualified_name(t.schema, t.name) + " is attached to " + t.partition_parent +
                  ", which is not in the clone: it must exist on the target");
  }
  for (const auto& t : tables)
    for (const auto& parent : t.inherits) {
      auto it = plan.table_steps.find(parent);
      if (it != plan.table_steps.end()) plan.depend(table_step_id(t), it->second);
    }

  // Partition indexes (and PK/UNIQUE indexes of partitions) join their parent's index.
  auto attach = [&](const std::string& schema, const std::string& child, const std::string& parent) {
    if (parent.empty()) return;
    const std::string child_q = ddl::qualified_name(schema, child);
    auto child_step = plan.index_steps.find(child_q);
    auto parent_step = plan.index_steps.find(parent);
    if (child_step == plan.index_steps.end()) return;
    if (parent_step == plan.index_steps.end()) {
      plan.notice("index " + child_q + " belongs to " + parent + ", which is not cloned: it stays unattached");
      return;
    }
    const std::string id = "index_attach:" + raw_name(schema, child);
    plan.add({id, "index_attach", "attaching index " + child_q + " to " + parent, Section::kPostData, "",
              {"ALTER INDEX " + parent + " ATTACH PARTITION " + child_q}, {child_step->second, parent_step->second}});
    plan.attach_steps[parent].push_back(id);
  };
  for (const auto& t : tables) {
    for (const auto& c : t.constraints)
      if (c.index_name) attach(t.schema, *c.index_name, c.parent_index);
    for (const auto& x : t.indexes) attach(t.schema, x.name, x.parent_index);
  }
  // A partitioned index is whole once its partitions' indexes are attached,
  // which includes the lower levels of a multi-level tree.
  for (const auto& [parent, ids] : plan.attach_steps)
    for (const auto& id : ids) {
      const std::string child_q = plan.find(id)->statements[0].substr(
          plan.find(id)->statements[0].find(" ATTACH PARTITION ") + 18);
      auto below = plan.attach_steps.find(child_q);
      if (below != plan.attach_steps.end())
        for (const auto& b : below->second) plan.depend(id, b);
    }

  for (const auto& t : tables)
    for (const auto& c : t.constraints) {
      const std::string id = "fk:" + raw_name(t.schema, t.name) + "." + c.name;
      if (c.type != 'f' || !plan.has(id)) continue;
      auto target = plan.table_steps.find(c.referenced_table);
      if (target == plan.table_steps.end()) {
        plan.notice("foreign key " + ddl::quote_ident(c.name) + " on " + ddl::qualified_name(t.schema, t.name) +
                    " references " + c.referenced_table + ", which is not in the clone: it must exist on the target");
        continue;
      }
      auto key = plan.index_steps.find(c.referenced_index);
      if (key == plan.index_steps.end()) {
        plan.notice("foreign key " + ddl::quote_ident(c.name) + " on " + ddl::qualified_name(t.schema, t.name) +
                    " left out: the key it references (" + c.referenced_index + ") is not cloned");
        plan.remove(id);
        plan.remove(validation_step_id(id));
        continue;
      }
      plan.depend(id, target->second);
      plan.depend(id, key->second);
      auto attached = plan.attach_steps.find(c.referenced_index);
      if (attached != plan.attach_steps.end())
        for (const auto& a : attached->second) plan.depend(id, a);
    }
  add_partition_trigger_states(plan, tables);
}

}  // namespace pgclone::agent::plan
