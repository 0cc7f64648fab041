#include "mask/source_checks.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "ddl/sql_text.h"
#include "mask/masked_select.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/mask_sql.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::mask {
namespace {

using protocol::MaskStrategy;

[[noreturn]] void refuse(const std::string& message, const std::string& detail = {}, const std::string& hint = {}) {
  throw pg::PgError(protocol::sqlstate::kInvalidParameterValue, message, detail, hint);
}

std::string column_of(const std::string& column, const std::string& table) {
  return "column \"" + column + "\" of table " + table;
}

// The values a constant or random_int mask writes must be values of the type.
void check_type_accepts(pg::Connection& source, const protocol::MaskRule& rule, const catalog::ColumnDefinition& c,
                        const std::string& table) {
  std::vector<std::string> literals;
  if (rule.strategy == MaskStrategy::kConstant) literals.push_back(ddl::quote_literal(rule.value));
  if (rule.strategy == MaskStrategy::kRandomInt && c.base_category == 'N') {
    literals.push_back(std::to_string(rule.min));
    literals.push_back(std::to_string(rule.max));
  }
  for (const std::string& literal : literals) {
    try {
      source.exec("SAVEPOINT pgclone_mask_check; SELECT (" + literal + ")::" + c.type +
                  "; RELEASE SAVEPOINT pgclone_mask_check");
    } catch (const pg::PgError& e) {
      source.exec("ROLLBACK TO SAVEPOINT pgclone_mask_check; RELEASE SAVEPOINT pgclone_mask_check");
      refuse("cannot mask " + column_of(c.name, table) + ": mask \"" + protocol::mask_strategy_name(rule.strategy) +
                 "\" writes " + literal + ", which is not a value of type " + c.type,
             "The source server said: " + e.message);
    }
  }
}


// The CHECK constraint's expression: pg_get_constraintdef says "CHECK (expr)",
// followed by " NOT VALID" or " NO INHERIT" where they apply.
std::string check_expression(std::string definition) {
  for (const char* suffix : {" NOT VALID", " NO INHERIT"}) {
    const std::string s(suffix);
    if (definition.size() > s.size() && definition.compare(definition.size() - s.size(), s.size(), s) == 0)
      definition.resize(definition.size() - s.size());
  }
  const std::string prefix = "CHECK ";
  return definition.rfind(prefix, 0) == 0 ? definition.substr(prefix.size()) : definition;
}

// A CHECK constraint on a masked column must hold for the masked values too,
// or the clone would fail when the constraint is added after the load. The
// masked rows are tested on the source (one scan of the table, only when such
// a constraint exists); only a yes/no leaves it. A mask drawing random values
// is tested with other draws than the copy's, so it can still fail there.
void check_constraints_hold(pg::Connection& source, const catalog::TableDefinition& t,
                            const protocol::ColumnMasks& rules, const std::string& table) {
  std::vector<std::string> all_columns;
  for (const auto& c : t.columns) all_columns.push_back(ddl::quote_ident(c.name));
  for (const auto& k : t.constraints) {
    if (k.type != 'c' || !k.validated) continue;
    const std::string* masked = nullptr;
    for (const std::string& column : k.columns)
      if (rules.count(column)) masked = &column;
    if (!masked) continue;
    const std::string rows = masked_copy_select(t, all_columns, rules, "ONLY " + table, std::nullopt);
    const pg::Result broken = source.query("SELECT EXISTS (SELECT FROM (" + rows + ") AS " +
                                           ddl::quote_ident(t.name) + " WHERE NOT (" +
                                           check_expression(k.definition) + "))");
    if (broken.get(0, 0) != "t") continue;
    refuse("cannot mask " + column_of(*masked, table) + ": masked values would violate check constraint " +
               ddl::quote_ident(k.name),
           "The constraint is " + k.definition + ".",
           "Choose a mask whose values satisfy the constraint, or mask another way.");
  }
}


// The largest absolute value the column's type holds, as an SQL numeric
// expression; empty when the type has no such bound (numeric without a
// precision, floating point) or it cannot be read off the type (a domain).
std::string magnitude_limit(const catalog::ColumnDefinition& c) {
  if (c.base_type == "int2") return "32767";
  if (c.base_type == "int4") return "2147483647";
  if (c.base_type == "int8") return "9223372036854775807";
  int precision = 0, scale = 0;
  if (c.base_type == "numeric" &&
      (std::sscanf(c.type.c_str(), "numeric(%d,%d)", &precision, &scale) == 2 ||
       std::sscanf(c.type.c_str(), "numeric(%d)", &precision) == 1))
    return "(pg_catalog.power(10::pg_catalog.numeric, " + std::to_string(precision - scale) +
           ") - pg_catalog.power(10::pg_catalog.numeric, " + std::to_string(-scale) + ") / 2)";
  return {};
}

// noise multiplies by up to 1 + ratio: the largest values must still fit the
// type, or the copy would fail half-way with an overflow. Only a yes/no leaves
// the source, never the largest value itself.
void check_noise_fits(pg::Connection& source, const protocol::MaskRule& rule, const catalog::ColumnDefinition& c,
                      const std::string& table) {
  if (rule.strategy != MaskStrategy::kNoise || c.base_category != 'N') return;
  const std::string limit = magnitude_limit(c);
  if (limit.empty()) return;
  const pg::Result over = source.query(
      "SELECT pg_catalog.max(pg_catalog.abs((" + ddl::quote_ident(c.name) + ")::pg_catalog.numeric)) * (1 + " +
      nlohmann::json(rule.ratio).dump() + ") > " + limit + " FROM ONLY " + table);
  if (over.get(0, 0) != "t") return;
  refuse("cannot mask " + column_of(c.name, table) + ": mask \"noise\" with ratio " + nlohmann::json(rule.ratio).dump() +
             " could move its largest values beyond what " + c.type + " holds",
         "", "Use a smaller ratio, or \"generalize\".");
}

}  // namespace

std::map<std::string, protocol::ColumnMasks> read_source_policies(pg::Connection& source) {
  const pg::Result exists = source.query("SELECT pg_catalog.to_regclass('pgclone.masking_policies') IS NOT NULL");
  if (exists.get(0, 0) != "t") {
    refuse("option \"masks\": \"from_policies\" needs the source's masking policies, and the source database records "
           "none",
           "The source database has no table pgclone.masking_policies: pgclone is not installed there.",
           "Install pgclone in the source database and create policies with pgclone.create_masking_policy(), or "
           "give the masks in the option.");
  }
  const pg::Result rows =
      source.query("SELECT schema_name, table_name, masks::pg_catalog.text FROM pgclone.masking_policies");
  std::map<std::string, protocol::ColumnMasks> out;
  for (int i = 0; i < rows.rows(); ++i) {
    const std::string table = rows.get(i, 0) + "." + rows.get(i, 1);
    try {
      out[table] = protocol::parse_column_masks(rows.get(i, 2), "masks");
    } catch (const protocol::OptionsError& e) {
      refuse("option \"masks\": the source's masking policy of table " + table + " cannot be used", e.what());
    }
  }
  return out;
}

void check_masks_on_source(pg::Connection& source, const std::vector<const catalog::TableDefinition*>& tables,
                           const ResolvedMasks& masks) {
  for (const catalog::TableDefinition* t : tables) {
    const std::string table = ddl::qualified_name(t->schema, t->name);
    const protocol::ColumnMasks* rules = masks.of(table);
    if (!rules) continue;
    std::vector<std::string> lengths;
    std::vector<const catalog::ColumnDefinition*> measured;
    for (const auto& c : t->columns) {
      auto rule = rules->find(c.name);
      if (rule == rules->end()) continue;
      check_type_accepts(source, rule->second, c, table);
      if (t->relkind != 'p') check_noise_fits(source, rule->second, c, table);
      const protocol::MaskColumn column = mask_column(c);
      if (protocol::masked_length_depends_on_data(rule->second, column)) {
        lengths.push_back("pg_catalog.max(" +
                          protocol::masked_length_expression(rule->second, column, ddl::quote_ident(c.name),
                                                             protocol::KeyUse::kSessionKey) +
                          ")");
        measured.push_back(&c);
      }
    }
    if (t->relkind == 'p') continue;  // its partitions are checked, with the same masks and constraints
    check_constraints_hold(source, *t, *rules, table);
    if (lengths.empty()) continue;
    const pg::Result longest = source.query("SELECT " + ddl::join(lengths) + " FROM ONLY " + table);
    for (std::size_t i = 0; i < measured.size(); ++i) {
      const std::string value = longest.get(0, static_cast<int>(i));
      if (value.empty() || std::stoll(value) <= measured[i]->char_limit) continue;
      refuse("cannot mask " + column_of(measured[i]->name, table) + ": masked values reach " + value +
                 " characters, longer than " + measured[i]->type + " holds",
             "", "Use a mask with a fixed length, such as \"hash\" or \"partial\", or clone into a wider column.");
    }
  }
}

}  // namespace pgclone::agent::mask
