#include "mask/table_masks.h"

#include <algorithm>
#include <set>

#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::mask {
namespace {

using catalog::TableDefinition;
using protocol::ColumnMasks;
using protocol::MaskRule;

[[noreturn]] void refuse(const std::string& message, const std::string& detail = {}, const std::string& hint = {}) {
  throw pg::PgError(protocol::sqlstate::kInvalidParameterValue, message, detail, hint);
}

std::string column_of(const std::string& column, const std::string& table) {
  return "column \"" + column + "\" of table " + table;
}

std::string rule_text(const MaskRule& rule) { return protocol::mask_strategy_name(rule.strategy); }

const catalog::ColumnDefinition* find_column(const TableDefinition& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

class Resolver {
 public:
  Resolver(const std::vector<const TableDefinition*>& tables, const MaskRequest& request) : request_(request) {
    for (const TableDefinition* t : tables) by_name_[ddl::qualified_name(t->schema, t->name)] = t;
  }

  ResolvedMasks run() {
    take_explicit();
    inherit_from_parents();
    for (const auto& [table, masks] : out_.tables)
      for (const auto& [column, rule] : masks) check_column(table, column, rule, "");
    carry_to_foreign_keys();
    return std::move(out_);
  }

 private:
  void take_explicit() {
    if (request_.table_mask && !request_.table_mask->empty()) explicit_[request_.table] = *request_.table_mask;
    if (request_.spec) {
      for (const auto& [key, masks] : request_.spec->tables) {
        std::vector<std::string> matches = tables_named(key);
        if (matches.empty()) {
          refuse("option \"masks\": table \"" + key + "\" is not one of the tables this clone copies",
                 "", "Name a table as \"table\" or \"schema.table\", as the source spells it.");
        }
        for (const std::string& table : matches) explicit_[table] = masks;
      }
      if (request_.spec->from_policies) {
        for (const auto& [raw, masks] : request_.policies) {
          for (const auto& [qualified, t] : by_name_) {
            if (t->schema + "." + t->name != raw || explicit_.count(qualified)) continue;
            explicit_[qualified] = masks;
            out_.notices.push_back("masks of table " + qualified + " taken from the source's masking policy");
          }
        }
      }
    }
    out_.tables = explicit_;
  }

  // "schema.table" exactly, else every table of that name in any schema.
  std::vector<std::string> tables_named(const std::string& key) const {
    std::vector<std::string> exact, by_table;
    for (const auto& [qualified, t] : by_name_) {
      if (t->schema + "." + t->name == key) exact.push_back(qualified);
      if (t->name == key) by_table.push_back(qualified);
    }
    return exact.empty() ? by_table : exact;
  }

  const ColumnMasks* ancestor_masks(const TableDefinition& t, int depth) const {
    if (depth > 64) return nullptr;
    std::vector<std::string> parents = t.inherits;
    if (!t.partition_parent.empty()) parents.insert(parents.begin(), t.partition_parent);
    for (const std::string& parent : parents) {
      auto own = explicit_.find(parent);
      if (own != explicit_.end()) return &own->second;
      auto def = by_name_.find(parent);
      if (def == by_name_.end()) continue;
      if (const ColumnMasks* above = ancestor_masks(*def->second, depth + 1)) return above;
    }
    return nullptr;
  }

  void inherit_from_parents() {
    for (const auto& [qualified, t] : by_name_) {
      if (explicit_.count(qualified)) continue;
      if (const ColumnMasks* inherited = ancestor_masks(*t, 0)) {
        out_.tables[qualified] = *inherited;
        out_.notices.push_back("table " + qualified + " takes the masks of its parent");
      }
    }
  }

  void check_column(const std::string& table, const std::string& column, const MaskRule& rule,
                    const std::string& carried_from) {
    const TableDefinition& t = *by_name_.at(table);
    const std::string where = column_of(column, table);
    const catalog::ColumnDefinition* c = find_column(t, column);
    if (!c) refuse("option \"" + option() + "\": " + where + " does not exist");
    if (request_.columns &&
        std::find(request_.columns->begin(), request_.columns->end(), column) == request_.columns->end()) {
      refuse("option \"mask\": " + where + " is not among the columns cloned (option \"columns\")");
    }
    if (c->generated_expr) {
      refuse("cannot mask " + where + ": it is generated from other columns on the target",
             "", "Mask the columns it is generated from.");
    }
    const std::string why = carried_from.empty() ? "" : " (carried over from " + carried_from + ")";
    if (auto reason = protocol::mask_unfit_reason(rule, mask_column(*c), protocol::KeyUse::kSessionKey)) {
      refuse("cannot mask " + where + why + ": " + *reason);
    }
    if (unique_key_columns(t).count(column)) {
      if (auto reason = protocol::unique_key_reason(rule)) refuse("cannot mask " + where + why + ": " + *reason);
    }
  }

  // Foreign keys must still find their rows: the referenced key's mask, when
  // deterministic, is applied to the referencing columns; anything else that
  // would break the pair is refused.
  void carry_to_foreign_keys() {
    // (table, column) given a carried-over mask -> the key it came from
    std::map<std::pair<std::string, std::string>, std::string> carried;
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [qualified, t] : by_name_) {
        for (const auto& fk : t->constraints) {
          if (fk.type != 'f') continue;
          const bool in_clone = by_name_.count(fk.referenced_table) > 0;
          for (std::size_t i = 0; i < fk.fk_columns.size() && i < fk.referenced_columns.size(); ++i) {
            const std::string& column = fk.fk_columns[i];
            const std::string& key = fk.referenced_columns[i];
            const MaskRule* referenced = in_clone ? rule_at(fk.referenced_table, key) : nullptr;
            const MaskRule* own = rule_at(qualified, column);
            const std::string key_shown = fk.referenced_table + "(" + ddl::quote_ident(key) + ")";
            if (referenced) {
              if (!protocol::is_deterministic(referenced->strategy) || referenced->strategy == protocol::MaskStrategy::kShuffle) {
                refuse("cannot mask " + column_of(key, fk.referenced_table) + ": mask \"" + rule_text(*referenced) +
                           "\" is not deterministic, and foreign key " + ddl::quote_ident(fk.name) + " of " + qualified +
                           " references the column",
                       "", "Use \"hash\" on a key that foreign keys reference: it is carried over to them.");
              }
              if (own) {
                if (*own != *referenced) {
                  refuse("cannot mask " + column_of(column, qualified) + ": foreign key " + ddl::quote_ident(fk.name) +
                             " references " + key_shown + ", which is masked differently",
                         "", "Leave the foreign key column out: it takes the mask of the key it references.");
                }
                continue;
              }
              check_column(qualified, column, *referenced, key_shown);
              out_.tables[qualified][column] = *referenced;
              carried[{qualified, column}] = key_shown;
              out_.notices.push_back("mask \"" + rule_text(*referenced) + "\" of " + key_shown + " carried over to " +
                                     column_of(column, qualified) + " (foreign key " + ddl::quote_ident(fk.name) + ")");
              changed = true;
            } else if (own) {
              // Also a mask carried over from another foreign key of the same
              // column: this one's key keeps its values, so they would not match.
              auto from = carried.find({qualified, column});
              const std::string why = from == carried.end() ? "" : " (carried over from " + from->second + ")";
              refuse("cannot mask " + column_of(column, qualified) + why + ": it is part of foreign key " +
                         ddl::quote_ident(fk.name) + ", and " + key_shown +
                         (in_clone ? " is not masked" : " is not in this clone") + ", so the masked values would not match",
                     "", "Mask the referenced key with \"hash\" in the same clone: its foreign keys take the same mask.");
            }
          }
        }
      }
    }
  }

  const MaskRule* rule_at(const std::string& table, const std::string& column) const {
    auto t = out_.tables.find(table);
    if (t == out_.tables.end()) return nullptr;
    auto c = t->second.find(column);
    return c == t->second.end() ? nullptr : &c->second;
  }

  std::string option() const { return request_.spec ? "masks" : "mask"; }

  const MaskRequest& request_;
  std::map<std::string, const TableDefinition*> by_name_;
  std::map<std::string, ColumnMasks> explicit_;
  ResolvedMasks out_;
};

}  // namespace

const ColumnMasks* ResolvedMasks::of(const std::string& qualified) const {
  auto it = tables.find(qualified);
  return it == tables.end() || it->second.empty() ? nullptr : &it->second;
}

ResolvedMasks resolve_masks(const std::vector<const TableDefinition*>& tables, const MaskRequest& request) {
  return Resolver(tables, request).run();
}

std::set<std::string> unique_key_columns(const TableDefinition& t) {
  std::set<std::string> out;
  for (const auto& c : t.constraints)
    if (c.type == 'p' || c.type == 'u') out.insert(c.columns.begin(), c.columns.end());
  for (const auto& x : t.indexes)
    if (x.unique) out.insert(x.columns.begin(), x.columns.end());
  return out;
}

protocol::MaskColumn mask_column(const catalog::ColumnDefinition& column) {
  protocol::MaskColumn out;
  out.name = column.name;
  out.type = column.type;
  out.category = column.base_category;
  out.base_type = column.base_type;
  out.char_limit = column.char_limit;
  out.not_null = column.not_null;
  return out;
}

}  // namespace pgclone::agent::mask
