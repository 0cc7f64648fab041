#include "diff/snapshot_facts.h"

#include <algorithm>
#include <map>

#include "ddl/policy_ddl.h"
#include "ddl/routine_ddl.h"
#include "ddl/sequence_ddl.h"
#include "ddl/sql_text.h"
#include "ddl/type_ddl.h"

namespace pgclone::agent::diff {
namespace {

using catalog::OptionList;

Value flag(bool on) { return std::string(on ? "true" : "false"); }

Value optional_text(const std::string& text) { return text.empty() ? Value{} : Value{text}; }

std::string options_text(const OptionList& options) {
  std::vector<std::string> items;
  for (const auto& [name, value] : options) items.push_back(name + "=" + value);
  std::sort(items.begin(), items.end());
  return ddl::join(items);
}

// The statements the clone would run for an object, without its comments.
std::string statements_text(const std::vector<std::string>& statements) {
  std::vector<std::string> kept;
  for (const std::string& s : statements) {
    if (s.rfind("COMMENT ON ", 0) != 0) kept.push_back(s);
  }
  return ddl::join(kept, ";\n");
}

const char* relkind_word(char relkind) {
  switch (relkind) {
    case 'p': return "partitioned table";
    case 'f': return "foreign table";
    case 'v': return "view";
    case 'm': return "materialized view";
    default: return "table";
  }
}

const char* trigger_state(char enabled) {
  switch (enabled) {
    case 'D': return "disabled";
    case 'R': return "replica";
    case 'A': return "always";
    default: return "enabled";
  }
}

Value identity_word(char identity) {
  if (identity == 'a') return std::string("always");
  if (identity == 'd') return std::string("by default");
  return Value{};
}

ColumnShape column_shape(const catalog::ColumnDefinition& c) {
  ColumnShape shape;
  shape.name = c.name;
  shape.facts = {{"type", c.type},
                 {"not_null", flag(c.not_null)},
                 {"default", c.default_expr},
                 {"identity", identity_word(c.identity)},
                 {"generated", c.generated_expr},
                 {"collation", c.collation}};
  return shape;
}

DiffObject sequence_object(const catalog::SequenceDefinition& s, const std::string& owned_by,
                           std::vector<std::string> depends_on) {
  DiffObject o;
  o.name = s.name;
  o.def = statements_text(ddl::sequence_statements(s));
  o.facts = {{"type", s.type},
             {"start", std::to_string(s.start)},
             {"increment", std::to_string(s.increment)},
             {"min_value", std::to_string(s.min_value)},
             {"max_value", std::to_string(s.max_value)},
             {"cache", std::to_string(s.cache)},
             {"cycle", flag(s.cycle)},
             {"unlogged", flag(s.unlogged)},
             {"owned_by", optional_text(owned_by)}};
  o.depends_on = std::move(depends_on);
  return o;
}

class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(const SideCatalog& side) : side_(side) {
    snapshot_.schema = side.schema;
    snapshot_.exists = side.exists;
    for (const auto& t : side.tables) {
      relation_by_oid_[t.oid] = t.name;
      table_by_qualified_[ddl::qualified_name(t.schema, t.name)] = t.name;
    }
    for (const auto& v : side.views) relation_by_oid_[v.oid] = v.name;
  }

  SchemaSnapshot build() {
    for (const auto& t : side_.tables) add_table(t);
    for (const auto& s : side_.sequences) {
      if (s.definition.schema == side_.schema) add("sequences", s.definition.name, sequence_object(s.definition, "", {}));
    }
    for (const auto& v : side_.views) add_view(v);
    for (const auto& r : side_.routines) add_routine(r);
    for (const auto& t : side_.types) add_type(t);
    for (const auto& p : side_.policies) add_policy(p);
    for (const auto& p : side_.privileges) add_privilege(p);
    return std::move(snapshot_);
  }

 private:
  void add(const std::string& category, const std::string& key, DiffObject object) {
    snapshot_.objects[category][key] = std::move(object);
  }

  static std::string per_table_key(const std::string& table, const std::string& name) {
    return table + '\x1f' + name;
  }

  void add_table(const catalog::TableDefinition& t) {
    TableShape shape;
    shape.name = t.name;
    Facts& f = shape.facts;
    f["kind"] = std::string(relkind_word(t.relkind));
    f["unlogged"] = flag(t.unlogged);
    f["partition_key"] = optional_text(t.partition_key);
    f["partition_of"] = t.partition_parent.empty() ? Value{} : Value{t.partition_parent + " " + t.partition_bound};
    f["inherits"] = optional_text(ddl::join(t.inherits));
    f["of_type"] = optional_text(t.of_type);
    f["options"] = optional_text(options_text(t.reloptions));
    f["replica_identity"] = std::string(1, t.replica_identity);
    f["foreign_server"] = optional_text(t.foreign_server);
    f["foreign_options"] = optional_text(options_text(t.foreign_options));
    f["row_security"] = flag(false);
    f["force_row_security"] = flag(false);
    for (const auto& rls : side_.row_security) {
      if (rls.relation_oid != t.oid) continue;
      f["row_security"] = flag(rls.enabled);
      f["force_row_security"] = flag(rls.forced);
    }
    for (const auto& c : t.columns) {
      shape.columns.push_back(column_shape(c));
      if (c.identity_sequence && c.identity_sequence->schema == side_.schema) {
        add("sequences", c.identity_sequence->name,
            sequence_object(*c.identity_sequence, t.name + "." + c.name + " (identity)",
                            {table_ref(t.name), column_ref(t.name, c.name)}));
      }
    }
    for (const auto& s : t.owned_sequences) {
      if (s.schema != side_.schema) continue;
      add("sequences", s.name,
          sequence_object(s, t.name + "." + s.owner_column, {table_ref(t.name), column_ref(t.name, s.owner_column)}));
    }
    for (const auto& c : t.constraints) add_constraint(t, c);
    add_indexes(t.name, t.indexes, table_ref(t.name));
    add_triggers(t.name, t.triggers, table_ref(t.name));
    snapshot_.tables[t.name] = std::move(shape);
  }

  void add_constraint(const catalog::TableDefinition& t, const catalog::ConstraintDefinition& c) {
    // A foreign key cloned by the server from a partitioned table's (onto its
    // partitions, or towards each partition of a partitioned table it
    // references, named ..._fkey1, _fkey2 in attach order) is implied by
    // the parent's, which is compared.
    if (c.type == 'f' && c.from_parent) return;
    DiffObject o;
    o.name = c.name;
    o.table = t.name;
    o.def = c.definition;
    o.facts = {{"definition", c.definition}, {"index_options", optional_text(options_text(c.index_options))}};
    o.depends_on = {table_ref(t.name)};
    for (const auto& column : c.columns) o.depends_on.push_back(column_ref(t.name, column));
    const auto referenced = table_by_qualified_.find(c.referenced_table);
    if (referenced != table_by_qualified_.end()) o.depends_on.push_back(table_ref(referenced->second));
    add("constraints", per_table_key(t.name, c.name), std::move(o));
  }

  void add_indexes(const std::string& relation, const std::vector<catalog::IndexDefinition>& indexes,
                   const std::string& relation_ref) {
    for (const auto& i : indexes) {
      DiffObject o;
      o.name = i.name;
      o.table = relation;
      o.def = i.definition;
      o.facts = {{"definition", i.definition}, {"clustered", flag(i.clustered)},
                 {"replica_identity", flag(i.replica_identity)}};
      o.depends_on = {relation_ref};
      for (const auto& column : i.columns) o.depends_on.push_back(column_ref(relation, column));
      add("indexes", i.name, std::move(o));
    }
  }

  void add_triggers(const std::string& relation, const std::vector<catalog::TriggerDefinition>& triggers,
                    const std::string& relation_ref) {
    for (const auto& tr : triggers) {
      DiffObject o;
      o.name = tr.name;
      o.table = relation;
      o.def = tr.definition;
      o.facts = {{"definition", tr.definition}, {"enabled", std::string(trigger_state(tr.enabled))}};
      o.depends_on = {relation_ref};
      for (const auto& column : tr.columns) o.depends_on.push_back(column_ref(relation, column));
      add("triggers", per_table_key(relation, tr.name), std::move(o));
    }
  }

  void add_view(const catalog::ViewDefinition& v) {
    DiffObject o;
    o.name = v.name;
    o.def = v.query;
    o.facts = {{"kind", std::string(relkind_word(v.relkind))},
               {"definition", v.query},
               {"options", optional_text(options_text(v.reloptions))}};
    add("views", v.name, std::move(o));
    add_indexes(v.name, v.indexes, object_ref("views", v.name));
    add_triggers(v.name, v.triggers, object_ref("views", v.name));
  }

  static std::string routine_key(const std::string& name, const std::string& identity_arguments) {
    return name + "(" + identity_arguments + ")";
  }

  void add_routine(const catalog::RoutineDefinition& r) {
    static const std::map<char, const char*> kKinds{
        {'f', "function"}, {'p', "procedure"}, {'a', "aggregate"}, {'w', "window function"}};
    DiffObject o;
    o.name = routine_key(r.name, r.identity_arguments);
    o.def = r.aggregate ? statements_text(ddl::routine_statements(r)) : r.definition;
    const auto kind = kKinds.find(r.kind);
    o.facts = {{"kind", std::string(kind == kKinds.end() ? "function" : kind->second)}, {"definition", o.def}};
    const std::string key = o.name;
    add("functions", key, std::move(o));
  }

  void add_type(const catalog::TypeDefinition& t) {
    DiffObject o;
    o.name = t.name;
    o.def = statements_text(ddl::type_statements(t));
    o.facts = {{"definition", o.def}};
    add("types", t.name, std::move(o));
  }

  void add_policy(const catalog::PolicyDefinition& p) {
    const auto relation = relation_by_oid_.find(p.relation_oid);
    if (relation == relation_by_oid_.end()) return;  // on a relation of another schema
    DiffObject o;
    o.name = p.name;
    o.table = relation->second;
    o.def = statements_text(ddl::policy_statements(p, ddl::qualified_name(side_.schema, relation->second)));
    o.facts = {{"definition", o.def}};
    o.depends_on = {table_ref(relation->second)};
    add("policies", per_table_key(relation->second, p.name), std::move(o));
  }

  void add_privilege(const catalog::PrivilegeEntry& p) {
    if (p.schema != side_.schema) return;  // foreign data wrappers and servers belong to no schema
    DiffObject o;
    std::string key = p.kind + '\x1f' + p.name;
    if (p.kind == "function" || p.kind == "procedure") {
      const std::string signature = routine_key(p.name, p.arguments);
      o.name = p.kind + " " + signature;
      key = p.kind + '\x1f' + signature;
      o.depends_on = {object_ref("functions", signature)};
    } else if (p.kind == "column") {
      o.name = "column " + p.name + "." + p.column;
      key += '\x1f' + p.column;
      o.table = p.name;
      o.depends_on = {table_ref(p.name), object_ref("views", p.name), column_ref(p.name, p.column)};
    } else {
      o.name = p.kind + " " + p.name;
      if (p.kind == "table") {
        o.depends_on = {table_ref(p.name), object_ref("views", p.name)};
      } else if (p.kind == "sequence") {
        o.depends_on = {object_ref("sequences", p.name)};
      } else if (p.kind == "type") {
        o.depends_on = {object_ref("types", p.name)};
      }
    }
    const std::vector<std::string> acl = normalized_acl(p);
    if (acl.empty()) return;
    o.def = "{" + ddl::join(acl, ",") + "}";
    o.facts = {{"acl", o.def}};
    add("privileges", key, std::move(o));
  }

  const SideCatalog& side_;
  SchemaSnapshot snapshot_;
  std::map<std::string, std::string> relation_by_oid_;
  std::map<std::string, std::string> table_by_qualified_;
};

// aclitem prints a role name in double quotes when it needs them.
std::string unquoted_role(const std::string& text) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return text;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    out += text[i];
    if (text[i] == '"' && text[i + 1] == '"') ++i;
  }
  return out;
}

// Position of the '=' between grantee and privileges (not one inside a
// quoted role name).
std::size_t grantee_end(const std::string& item) {
  bool quoted = false;
  for (std::size_t i = 0; i < item.size(); ++i) {
    if (item[i] == '"') quoted = !quoted;
    if (item[i] == '=' && !quoted) return i;
  }
  return std::string::npos;
}

std::vector<std::string> owner_default(const std::string& kind) {
  if (kind == "table") return {"OWNER=arwdDxt"};
  if (kind == "sequence") return {"OWNER=rwU"};
  if (kind == "function" || kind == "procedure") return {"OWNER=X", "PUBLIC=X"};
  if (kind == "type") return {"OWNER=U", "PUBLIC=U"};
  if (kind == "schema") return {"OWNER=UC"};
  return {};  // columns: no privileges of their own by default
}

}  // namespace

std::vector<std::string> normalized_acl(const catalog::PrivilegeEntry& entry) {
  std::vector<std::string> items;
  for (const std::string& item : entry.acl) {
    const std::size_t eq = grantee_end(item);
    if (eq == std::string::npos) {
      items.push_back(item);
      continue;
    }
    std::string privileges = item.substr(eq + 1);
    const std::size_t slash = privileges.rfind('/');
    if (slash != std::string::npos) privileges.erase(slash);
    const std::string grantee = unquoted_role(item.substr(0, eq));
    const std::string shown = grantee.empty() ? "PUBLIC" : grantee == entry.owner ? "OWNER" : ddl::role_shown(grantee);
    items.push_back(shown + "=" + privileges);
  }
  std::sort(items.begin(), items.end());
  if (items == owner_default(entry.kind)) items.clear();
  return items;
}

SchemaSnapshot build_snapshot(const SideCatalog& side) { return SnapshotBuilder(side).build(); }

}  // namespace pgclone::agent::diff
