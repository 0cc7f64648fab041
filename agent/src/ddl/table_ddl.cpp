#include "ddl/table_ddl.h"

#include <map>
#include <stdexcept>

#include "ddl/column_settings.h"
#include "ddl/definition_text.h"
#include "ddl/foreign_ddl.h"
#include "ddl/inherited_column_order.h"
#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"

namespace pgclone::agent::ddl {

namespace {

using catalog::ColumnDefinition;
using catalog::ConstraintDefinition;
using catalog::IndexDefinition;
using catalog::IndexStatistics;
using catalog::OptionList;
using catalog::SequenceDefinition;
using catalog::TableDefinition;
using catalog::TriggerDefinition;

std::string sequence_options(const SequenceDefinition& s) {
  return "START WITH " + std::to_string(s.start) + " INCREMENT BY " + std::to_string(s.increment) + " MINVALUE " +
         std::to_string(s.min_value) + " MAXVALUE " + std::to_string(s.max_value) + " CACHE " +
         std::to_string(s.cache) + (s.cycle ? " CYCLE" : " NO CYCLE");
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
  for (size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += with.size())
    text.replace(pos, what.size(), with);
}

class Planner {
 public:
  Planner(const TableDefinition& def, const TableDdlOptions& opts)
      : def_(def),
        opts_(opts),
        schema_(opts.target_schema.empty() ? def.schema : opts.target_schema),
        table_(opts.target_table.empty() ? def.name : opts.target_table),
        renamed_(table_ != def.name),
        source_(qualified_name(def.schema, def.name)),
        target_(qualified_name(schema_, table_)),
        taken_(opts.taken_relation_names) {
    taken_.insert(table_);
  }

  TableDdlPlan run() {
    plan_.notices = def_.notes;
    choose_columns();
    plan_sequences();
    plan_table();
    plan_columns();
    plan_index_constraints();
    plan_indexes();
    plan_cluster_and_replica_identity();
    plan_other_constraints();
    plan_triggers();
    plan_sequence_positions();
    plan_copy();
    return std::move(plan_);
  }

 private:
  void post(PostKind kind, const std::string& object, std::string statement) {
    plan_.post_data.push_back(statement);
    plan_.post_items.push_back({kind, object, std::move(statement)});
  }

  bool hierarchy() const { return opts_.hierarchy; }
  bool is_partition() const { return hierarchy() && !def_.partition_parent.empty(); }
  bool is_inheritance_child() const { return hierarchy() && def_.partition_parent.empty() && !def_.inherits.empty(); }
  // Columns and CHECKs a child gets from its parents are not written out again.
  bool from_parents(const ColumnDefinition& c) const { return is_inheritance_child() && !c.is_local; }
  // A partition is created standalone and attached, and ATTACH PARTITION
  // wants the parent's CHECKs present already (it then marks them inherited).
  bool from_parents(const ConstraintDefinition& c) const {
    if (!hierarchy()) return false;
    if (c.type == 'f') return c.from_parent;
    return !c.is_local && !is_partition();
  }
  // ONLY is refused for a partitioned table's FOREIGN KEY (it must reach the
  // partitions), and for a CHECK of a table with inheritance children (they
  // inherit it; the children leave their inherited copy to this statement).
  std::string alter_only(const ConstraintDefinition& c) const {
    bool recurse = hierarchy() && (def_.relkind == 'p' || (c.type == 'c' && def_.has_children));
    return recurse ? "ALTER TABLE " : "ALTER TABLE ONLY ";
  }

  // ---------------------------------------------------------------- names
  std::string relation_name(const std::string& original) {
    if (!renamed_) return original;
    std::string name = make_unique_name(adapt_name(original, def_.name, table_), taken_);
    taken_.insert(name);
    return name;
  }

  std::string constraint_name(const ConstraintDefinition& c) {
    std::string name = renamed_ ? choose_constraint_name(c) : c.name;
    renamed_constraints_[c.name] = name;
    return name;
  }

  std::string choose_constraint_name(const ConstraintDefinition& c) {
    bool is_relation = c.type == 'p' || c.type == 'u' || c.type == 'x';
    std::set<std::string> avoid = constraint_names_;
    if (is_relation) avoid.insert(taken_.begin(), taken_.end());
    std::string name = make_unique_name(adapt_name(c.name, def_.name, table_), avoid);
    constraint_names_.insert(name);
    if (is_relation) taken_.insert(name);
    return name;
  }

  std::string sequence_schema(const SequenceDefinition& s) const {
    // Sequences beside the table move with it; one kept elsewhere stays there.
    return s.schema == def_.schema ? schema_ : s.schema;
  }

  // First column in `columns` that is not cloned, if any.
  std::optional<std::string> missing(const std::vector<std::string>& columns) const {
    for (const auto& c : columns)
      if (!included_.count(c)) return c;
    return std::nullopt;
  }

  void left_out(const std::string& what, const std::string& column) {
    plan_.notices.push_back(what + " left out: it needs column \"" + column + "\", which is not cloned");
  }

  // ---------------------------------------------------------------- columns
  void choose_columns() {
    if (!opts_.columns) {
      for (const auto& c : def_.columns) included_.insert(c.name);
      return;
    }
    for (const auto& wanted : *opts_.columns) {
      bool found = false;
      for (const auto& c : def_.columns) found = found || c.name == wanted;
      if (!found)
        throw pg::PgError("42703", "column \"" + wanted + "\" of relation \"" + def_.schema + "." + def_.name +
                                       "\" does not exist");
      included_.insert(wanted);
    }
    // Generation expressions cannot read other generated columns, so one pass is enough.
    for (const auto& c : def_.columns) {
      if (!c.generated_expr || !included_.count(c.name)) continue;
      if (auto m = missing(c.generated_depends_on)) {
        left_out("generated column \"" + c.name + "\"", *m);
        included_.erase(c.name);
      }
    }
  }

  std::vector<const ColumnDefinition*> columns() const {
    std::vector<const ColumnDefinition*> out;
    for (const auto& c : def_.columns)
      if (included_.count(c.name)) out.push_back(&c);
    return out;
  }

  // ---------------------------------------------------------------- sequences
  void plan_sequences() {
    for (const auto* c : columns()) {
      if (c->identity_sequence) identity_names_[c->name] = relation_name(c->identity_sequence->name);
    }
    for (const auto& s : def_.owned_sequences) {
      if (!included_.count(s.owner_column)) continue;
      std::string name = relation_name(s.name);
      std::string qualified = qualified_name(sequence_schema(s), name);
      owned_names_[s.name] = qualified;
      // Defaults print a sequence as a regclass literal: nextval('s.seq'::regclass).
      sequence_tokens_.emplace_back(deparsed_literal(qualified_name(s.schema, s.name)) + "::regclass",
                                    deparsed_literal(qualified) + "::regclass");
      plan_.pre_data.push_back(std::string("CREATE ") + (s.unlogged ? "UNLOGGED " : "") + "SEQUENCE " + qualified +
                               " AS " + s.type + " " + sequence_options(s));
    }
  }

  std::string rewrite_default(std::string expr) const {
    for (const auto& [from, to] : sequence_tokens_) replace_all(expr, from, to);
    return expr;
  }

  // ---------------------------------------------------------------- CREATE TABLE
  // The column as CREATE TABLE writes it; nullopt for a typed table's column
  // that adds nothing to its type. `ordered`: a child built in source order
  // states an inherited generation expression too (it INHERITs its parents
  // only afterwards, and they compare it).
  std::optional<std::string> column_line(const ColumnDefinition& c, bool ordered = false) const {
    std::string qualifiers;
    if (c.collation) qualifiers += " COLLATE " + *c.collation;
    // An inherited generated column takes its parent's expression; stating
    // it again is refused ("child column specifies generation expression").
    if (c.generated_expr && is_inheritance_child() && c.inherited_generated && !ordered) {
    } else if (c.generated_expr) {
      qualifiers += " GENERATED ALWAYS AS (" + *c.generated_expr + ") STORED";
    } else if (c.identity) {
      qualifiers += std::string(" GENERATED ") + (c.identity == 'a' ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY";
      if (const auto& s = c.identity_sequence) {
        qualifiers += " (SEQUENCE NAME " + qualified_name(schema_, identity_names_.at(c.name));
        // The server adds "AS <column type>" itself and rejects a second AS;
        // a sequence whose type differs gets it (and its limits) afterwards.
        if (s->type == c.type) qualifiers += " " + sequence_options(*s);
        qualifiers += ")";
      }
    } else if (c.default_expr) {
      qualifiers += " DEFAULT " + rewrite_default(*c.default_expr);
    }
    if (c.not_null) qualifiers += " NOT NULL";
    if (!def_.of_type.empty()) {
      // The type gives the columns; only what the table adds is written.
      if (qualifiers.empty()) return std::nullopt;
      return quote_ident(c.name) + " WITH OPTIONS" + qualifiers;
    }
    std::string line = quote_ident(c.name) + " " + c.type;
    if (def_.relkind == 'f' && !c.fdw_options.empty()) line += " " + fdw_options_clause(c.fdw_options);
    return line + qualifiers;
  }

  // Validated CHECKs go into CREATE TABLE; NOT VALID ones wait for the data
  // (the source rows may violate them).
  std::vector<const ConstraintDefinition*> inline_checks() {
    std::vector<const ConstraintDefinition*> out;
    if (!opts_.include_constraints) return out;
    for (const auto& c : def_.constraints) {
      if (c.type != 'c' || !c.validated || from_parents(c)) continue;
      if (auto m = missing(c.columns)) {
        left_out("constraint \"" + c.name + "\"", *m);
        continue;
      }
      out.push_back(&c);
    }
    return out;
  }

  std::string with_clause() const {
    std::string with = options_text(def_.reloptions);
    std::string toast = options_text(def_.toast_reloptions, "toast.");
    if (with.empty() && toast.empty()) return "";
    return " WITH (" + with + (!with.empty() && !toast.empty() ? ", " : "") + toast + ")";
  }

  void plan_table() {
    if (is_inheritance_child() && !inherits_keeps_column_order(def_.parent_columns, columns())) {
      if (auto obstacle = ordered_child_obstacle(def_, columns()))
        plan_.notices.push_back("columns of \"" + def_.schema + "." + def_.name +
                                "\" get the order CREATE TABLE ... INHERITS gives, not the source's: " + *obstacle);
      else
        return plan_ordered_child();
    }
    const bool foreign = def_.relkind == 'f';
    const bool typed = !def_.of_type.empty();
    std::vector<std::string> lines;
    for (const auto* c : columns()) {
      if (from_parents(*c)) continue;
      if (auto line = column_line(*c)) lines.push_back(*line);
    }
    for (const auto* c : inline_checks())
      lines.push_back("CONSTRAINT " + quote_ident(constraint_name(*c)) + " " + c->definition);
    std::string sql = foreign ? "CREATE FOREIGN TABLE " + target_
                              : std::string("CREATE ") + (def_.unlogged ? "UNLOGGED " : "") + "TABLE " + target_;
    if (typed) sql += " OF " + def_.of_type;
    if (!typed || !lines.empty()) {
      sql += " (";
      for (size_t i = 0; i < lines.size(); ++i) sql += (i ? ",\n    " : "\n    ") + lines[i];
      sql += lines.empty() ? ")" : "\n)";
    }
    if (is_inheritance_child()) sql += "\nINHERITS (" + join(def_.inherits) + ")";
    if (hierarchy() && def_.relkind == 'p') sql += "\nPARTITION BY " + def_.partition_key;
    if (foreign) {
      sql += "\nSERVER " + quote_ident(def_.foreign_server);
      if (!def_.foreign_options.empty()) sql += "\n" + fdw_options_clause(def_.foreign_options);
    } else {
      sql += with_clause();
    }
    plan_.pre_data.push_back(sql);
    if (is_partition())
      plan_.pre_data.push_back("ALTER TABLE ONLY " + def_.partition_parent + " ATTACH PARTITION " + target_ + " " +
                               def_.partition_bound);
    if (is_inheritance_child()) correct_inherited_columns();
  }

  // An inheritance child whose source column order is not the INHERITS order.
  void plan_ordered_child() {
    OrderedChild child;
    child.create_table = std::string("CREATE ") + (def_.unlogged ? "UNLOGGED " : "") + "TABLE " + target_;
    child.target = target_;
    std::string helper = make_unique_name(truncate_identifier("pgclone_order_" + table_), taken_);
    taken_.insert(helper);
    child.helper = qualified_name(schema_, helper);
    child.with_clause = with_clause();
    for (const auto* c : columns()) {
      std::optional<std::string> default_sql;
      if (c->default_expr && !c->generated_expr) default_sql = rewrite_default(*c->default_expr);
      child.columns.push_back({c, column_line(*c, true).value_or(""), default_sql});
    }
    for (const auto* c : inline_checks())
      child.local_checks.push_back("CONSTRAINT " + quote_ident(constraint_name(*c)) + " " + c->definition);
    // INHERIT wants every CHECK its parents have by then already present. A
    // parent's NOT VALID CHECK comes after the data and reaches the child then.
    for (const auto& c : def_.constraints)
      if (c.type == 'c' && c.validated && from_parents(c))
        child.inherited_checks.push_back("CONSTRAINT " + quote_ident(c.name) + " " + c.definition);
    child.parents = def_.inherits;
    for (auto& statement : ordered_child_statements(child)) plan_.pre_data.push_back(std::move(statement));
  }

  // CREATE TABLE ... INHERITS gives inherited columns their parents' default
  // and NOT NULL; the child may differ.
  void correct_inherited_columns() {
    const std::string alter = "ALTER TABLE ONLY " + target_ + " ALTER COLUMN ";
    for (const auto* c : columns()) {
      if (c->is_local || c->generated_expr) continue;  // a generation expression is the parent's
      if (c->default_expr != c->inherited_default)
        plan_.pre_data.push_back(alter + quote_ident(c->name) +
                                 (c->default_expr ? " SET DEFAULT " + rewrite_default(*c->default_expr) : " DROP DEFAULT"));
      if (c->not_null && !c->inherited_not_null) plan_.pre_data.push_back(alter + quote_ident(c->name) + " SET NOT NULL");
    }
  }

  void plan_columns() {
    auto& pre = plan_.pre_data;
    for (const auto& s : def_.owned_sequences) {
      auto it = owned_names_.find(s.name);
      if (it == owned_names_.end()) continue;
      pre.push_back("ALTER SEQUENCE " + it->second + " OWNED BY " + target_ + "." + quote_ident(s.owner_column));
    }
    const std::string alter = "ALTER TABLE ONLY " + target_ + " ALTER COLUMN ";
    for (const auto* c : columns()) {
      if (const auto& s = c->identity_sequence) {
        std::string seq = qualified_name(schema_, identity_names_.at(c->name));
        if (s->type != c->type) pre.push_back("ALTER SEQUENCE " + seq + " AS " + s->type + " " + sequence_options(*s));
        if (s->unlogged != def_.unlogged) pre.push_back("ALTER SEQUENCE " + seq + (s->unlogged ? " SET UNLOGGED" : " SET LOGGED"));
      }
      for (auto& statement : column_setting_statements(alter + quote_ident(c->name),
                                                       {c->storage, c->compression, c->statistics_target, c->options}))
        pre.push_back(std::move(statement));
    }
    if (def_.comment)
      pre.push_back(std::string("COMMENT ON ") + (def_.relkind == 'f' ? "FOREIGN TABLE " : "TABLE ") + target_ + " IS " +
                    quote_literal(*def_.comment));
    for (const auto* c : columns()) {
      if (c->comment)
        pre.push_back("COMMENT ON COLUMN " + target_ + "." + quote_ident(c->name) + " IS " + quote_literal(*c->comment));
      if (c->identity_sequence && c->identity_sequence->comment)
        pre.push_back("COMMENT ON SEQUENCE " + qualified_name(schema_, identity_names_.at(c->name)) + " IS " +
                      quote_literal(*c->identity_sequence->comment));
    }
    for (const auto& s : def_.owned_sequences) {
      auto it = owned_names_.find(s.name);
      if (it != owned_names_.end() && s.comment)
        pre.push_back("COMMENT ON SEQUENCE " + it->second + " IS " + quote_literal(*s.comment));
    }
  }

  // ---------------------------------------------------------------- indexes
  void index_extras(PostKind kind, const std::string& object, const std::string& index_qualified,
                    const IndexStatistics& stats, const std::optional<std::string>& comment) {
    for (const auto& [column, target] : stats)
      post(kind, object, "ALTER INDEX " + index_qualified + " ALTER COLUMN " + std::to_string(column) +
                             " SET STATISTICS " + std::to_string(target));
    if (comment) post(kind, object, "COMMENT ON INDEX " + index_qualified + " IS " + quote_literal(*comment));
  }

  void plan_index_constraints() {
    if (!opts_.include_constraints) return;
    for (const auto& c : def_.constraints) {
      if (c.type != 'p' && c.type != 'u' && c.type != 'x') continue;
      if (auto m = missing(c.columns)) {
        left_out("constraint \"" + c.name + "\"", *m);
        continue;
      }
      std::string name = constraint_name(c);
      const PostKind k = PostKind::kConstraint;
      post(k, name, "ALTER TABLE ONLY " + target_ + " ADD CONSTRAINT " + quote_ident(name) + " " +
                        constraint_definition_with_index_options(c));
      index_extras(k, name, qualified_name(schema_, name), c.index_statistics, c.index_comment);
      if (c.comment)
        post(k, name, "COMMENT ON CONSTRAINT " + quote_ident(name) + " ON " + target_ + " IS " + quote_literal(*c.comment));
      if (c.index_clustered) clustered_ = name;
      if (c.index_replica_identity) replica_index_ = name;
    }
  }

  void plan_indexes() {
    if (!opts_.include_indexes) return;
    for (const auto& x : def_.indexes) {
      // An invalid index of a plain table is a failed CREATE INDEX
      // CONCURRENTLY: left out, as pg_dump does. A partitioned table's index
      // is invalid while a partition's index is not attached to it; it is
      // created ON ONLY the table like every partitioned index, and the
      // attachments the source has leave it just as invalid on the target.
      if (!x.valid && def_.relkind != 'p') {
        plan_.notices.push_back("index \"" + x.name + "\" left out: it is not valid on the source");
        continue;
      }
      if (auto m = missing(x.columns)) {
        left_out("index \"" + x.name + "\"", *m);
        continue;
      }
      std::string name = relation_name(x.name);
      post(PostKind::kIndex, name, rewrite_index_definition(x, source_, name, target_));
      index_extras(PostKind::kIndex, name, qualified_name(schema_, name), x.statistics, x.comment);
      if (x.clustered) clustered_ = name;
      if (x.replica_identity) replica_index_ = name;
    }
  }

  void plan_cluster_and_replica_identity() {
    const PostKind k = PostKind::kTableProperty;
    if (clustered_) post(k, "", "ALTER TABLE " + target_ + " CLUSTER ON " + quote_ident(*clustered_));
    if (def_.relkind == 'f') return;  // always NOTHING, and not to be changed
    switch (def_.replica_identity) {
      case 'n': post(k, "", "ALTER TABLE ONLY " + target_ + " REPLICA IDENTITY NOTHING"); break;
      case 'f': post(k, "", "ALTER TABLE ONLY " + target_ + " REPLICA IDENTITY FULL"); break;
      case 'i':
        if (replica_index_)
          post(k, "", "ALTER TABLE ONLY " + target_ + " REPLICA IDENTITY USING INDEX " + quote_ident(*replica_index_));
        else
          plan_.notices.push_back("replica identity left at default: its index is not cloned");
        break;
      default: break;
    }
  }

  // ---------------------------------------------------------------- FK, NOT VALID CHECK
  void plan_other_constraints() {
    if (!opts_.include_constraints) return;
    std::vector<PostItem> comments;
    for (const auto& c : def_.constraints) {
      if (from_parents(c)) continue;
      bool deferred_check = c.type == 'c' && !c.validated;
      if (c.type != 'f' && !deferred_check) {
        // Inline CHECKs got their names in plan_table(); only comments remain.
        if (c.type == 'c' && c.comment && !missing(c.columns)) comments.push_back(comment_on_constraint(c));
        continue;
      }
      if (auto m = missing(c.columns)) {
        left_out("constraint \"" + c.name + "\"", *m);
        continue;
      }
      std::string definition = c.definition;
      if (c.type == 'f' && c.self_reference) definition = rewrite_self_fk_definition(c, source_, target_);
      std::string name = constraint_name(c);
      const bool validate_separately =
          c.type == 'f' && c.validated && opts_.validate_foreign_keys_separately && def_.relkind != 'p';
      post(c.type == 'f' ? PostKind::kForeignKey : PostKind::kConstraint, name,
           alter_only(c) + target_ + " ADD CONSTRAINT " + quote_ident(name) + " " + definition +
               (validate_separately ? " NOT VALID" : ""));
      if (validate_separately) {
        post(PostKind::kForeignKeyValidation, name,
             alter_only(c) + target_ + " VALIDATE CONSTRAINT " + quote_ident(name));
      }
      if (c.comment) comments.push_back(comment_on_constraint(c));
    }
    for (auto& item : comments) post(item.kind, item.object, std::move(item.statement));
  }

  PostItem comment_on_constraint(const ConstraintDefinition& c) {
    const std::string& name = renamed_constraints_.at(c.name);
    return {c.type == 'f' ? PostKind::kForeignKey : PostKind::kConstraint, name,
            "COMMENT ON CONSTRAINT " + quote_ident(name) + " ON " + target_ + " IS " + quote_literal(*c.comment)};
  }

  // ---------------------------------------------------------------- triggers
  void plan_triggers() {
    if (!opts_.include_triggers) return;
    for (const auto& t : def_.triggers) {
      if (hierarchy() && t.from_parent) continue;
      if (auto m = missing(t.columns)) {
        left_out("trigger \"" + t.name + "\"", *m);
        continue;
      }
      const PostKind k = PostKind::kTrigger;
      post(k, t.name, rewrite_trigger_definition(t, source_, target_));
      if (t.enabled != 'O') post(k, t.name, trigger_state_statement(target_, t.name, t.enabled));
      if (t.comment)
        post(k, t.name, "COMMENT ON TRIGGER " + quote_ident(t.name) + " ON " + target_ + " IS " + quote_literal(*t.comment));
    }
  }

  // ---------------------------------------------------------------- data
  void plan_sequence_positions() {
    auto setval = [this](const std::string& qualified, const SequenceDefinition& s) {
      post(PostKind::kSequenceValue, qualified,
           "SELECT pg_catalog.setval(" + quote_literal(qualified) + ", " + std::to_string(s.last_value) + ", " +
               (s.is_called ? "true" : "false") + ")");
    };
    for (const auto* c : columns())
      if (c->identity_sequence) setval(qualified_name(schema_, identity_names_.at(c->name)), *c->identity_sequence);
    for (const auto& s : def_.owned_sequences) {
      auto it = owned_names_.find(s.name);
      if (it != owned_names_.end()) setval(it->second, s);
    }
  }

  void plan_copy() {
    for (const auto* c : columns()) {
      if (c->generated_expr) continue;
      plan_.copy_columns.push_back(quote_ident(c->name));
      if (!c->binary_copy_safe) plan_.binary_copy = false;
    }
    // An inheritance parent's own rows only: its children are loaded on their own.
    plan_.source_from = (hierarchy() && def_.has_children ? "ONLY " : "") + source_;
    plan_.source_copy_select = "SELECT " + join(plan_.copy_columns) + " FROM " + plan_.source_from;
    // COPY of a table never reads its children's rows (nor can it read a
    // partitioned table or a foreign table).
    plan_.whole_table_copy = def_.relkind == 'r' && (!def_.has_children || hierarchy());
  }

  const TableDefinition& def_;
  const TableDdlOptions& opts_;
  const std::string schema_;
  const std::string table_;
  const bool renamed_;
  const std::string source_;  // qualified source table
  const std::string target_;  // qualified target table
  std::set<std::string> taken_;
  std::set<std::string> constraint_names_;
  std::map<std::string, std::string> renamed_constraints_;  // original -> planned name
  std::set<std::string> included_;
  std::map<std::string, std::string> identity_names_;  // column -> sequence name
  std::map<std::string, std::string> owned_names_;     // source sequence name -> qualified target name
  std::vector<std::pair<std::string, std::string>> sequence_tokens_;
  std::optional<std::string> clustered_;
  std::optional<std::string> replica_index_;
  TableDdlPlan plan_;
};

}  // namespace

TableDdlPlan plan_table_ddl(const TableDefinition& def, const TableDdlOptions& opts) { return Planner(def, opts).run(); }

}  // namespace pgclone::agent::ddl
