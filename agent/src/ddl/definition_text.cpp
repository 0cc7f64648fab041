#include "ddl/definition_text.h"

#include <stdexcept>
#include <vector>

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
constexpr int kTriggerBefore = 1 << 1;
constexpr int kTriggerInsert = 1 << 2;
constexpr int kTriggerDelete = 1 << 3;
constexpr int kTriggerUpdate = 1 << 4;
constexpr int kTriggerTruncate = 1 << 5;
constexpr int kTriggerInstead = 1 << 6;

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::vector<std::string> quoted(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(quote_ident(n));
  return out;
}

[[noreturn]] void mismatch(const std::string& what, const std::string& expected, const std::string& definition) {
  throw std::logic_error("unexpected " + what + " text: expected it to start with \"" + expected + "\", got \"" +
                         definition + "\"");
}

}  // namespace

std::string rewrite_index_definition(const catalog::IndexDefinition& index, const std::string& source_table_qualified,
                                     const std::string& new_index_name, const std::string& target_table_qualified) {
  const std::string head = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX ";
  for (const char* only : {"", "ONLY "}) {
    std::string expected = head + quote_ident(index.name) + " ON " + only + source_table_qualified + " USING ";
    if (starts_with(index.definition, expected))
      return head + quote_ident(new_index_name) + " ON " + only + target_table_qualified + " USING " +
             index.definition.substr(expected.size());
  }
  mismatch("pg_get_indexdef", head + quote_ident(index.name) + " ON " + source_table_qualified + " USING ",
           index.definition);
}

// Mirrors pg_get_triggerdef_worker() in src/backend/utils/adt/ruleutils.c.
std::string trigger_definition_prefix(const catalog::TriggerDefinition& trigger, const std::string& table_qualified) {
  std::string s = std::string("CREATE ") + (trigger.is_constraint ? "CONSTRAINT " : "") + "TRIGGER " +
                  quote_ident(trigger.name) + " ";
  if (trigger.type & kTriggerBefore)
    s += "BEFORE";
  else if (trigger.type & kTriggerInstead)
    s += "INSTEAD OF";
  else
    s += "AFTER";
  int events = 0;
  auto event = [&](const char* name) {
    s += events++ ? " OR " : " ";
    s += name;
  };
  if (trigger.type & kTriggerInsert) event("INSERT");
  if (trigger.type & kTriggerDelete) event("DELETE");
  if (trigger.type & kTriggerUpdate) {
    event("UPDATE");
    if (!trigger.update_columns.empty()) s += " OF " + join(quoted(trigger.update_columns));
  }
  if (trigger.type & kTriggerTruncate) event("TRUNCATE");
  return s + " ON " + table_qualified + " ";
}

std::string rewrite_trigger_definition(const catalog::TriggerDefinition& trigger,
                                       const std::string& source_table_qualified,
                                       const std::string& target_table_qualified) {
  std::string expected = trigger_definition_prefix(trigger, source_table_qualified);
  if (!starts_with(trigger.definition, expected)) mismatch("pg_get_triggerdef", expected, trigger.definition);
  return trigger_definition_prefix(trigger, target_table_qualified) + trigger.definition.substr(expected.size());
}

std::string trigger_state_statement(const std::string& table_qualified, const std::string& trigger_name, char enabled) {
  const char* state = enabled == 'D' ? "DISABLE" : enabled == 'R' ? "ENABLE REPLICA" : enabled == 'A' ? "ENABLE ALWAYS" : "ENABLE";
  return "ALTER TABLE " + table_qualified + " " + state + " TRIGGER " + quote_ident(trigger_name);
}

std::string rewrite_self_fk_definition(const catalog::ConstraintDefinition& fk,
                                       const std::string& source_table_qualified,
                                       const std::string& target_table_qualified) {
  const std::string head = "FOREIGN KEY (" + join(quoted(fk.fk_columns)) + ") REFERENCES ";
  std::string expected = head + source_table_qualified + "(";
  if (!starts_with(fk.definition, expected)) mismatch("pg_get_constraintdef", expected, fk.definition);
  return head + target_table_qualified + "(" + fk.definition.substr(expected.size());
}

std::string constraint_definition_with_index_options(const catalog::ConstraintDefinition& c) {
  if (c.index_options.empty() || (c.type != 'p' && c.type != 'u')) return c.definition;
  const std::string tail = std::string(c.deferrable ? " DEFERRABLE" : "") + (c.deferred ? " INITIALLY DEFERRED" : "");
  const std::string& d = c.definition;
  if (d.size() < tail.size() || d.compare(d.size() - tail.size(), tail.size(), tail) != 0)
    throw std::logic_error("unexpected pg_get_constraintdef text: expected it to end with \"" + tail + "\", got \"" +
                           d + "\"");
  std::vector<std::string> options;
  for (const auto& [name, value] : c.index_options) options.push_back(quote_ident(name) + "=" + quote_literal(value));
  return d.substr(0, d.size() - tail.size()) + " WITH (" + join(options) + ")" + tail;
}

}  // namespace pgclone::agent::ddl
