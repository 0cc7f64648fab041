#include "ddl/routine_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

using catalog::AggregateDefinition;
using catalog::RoutineDefinition;

const char* modify_keyword(char c) {
  switch (c) {
    case 'r': return "READ_ONLY";
    case 's': return "SHAREABLE";
    default: return "READ_WRITE";
  }
}

std::string create_aggregate(const RoutineDefinition& f) {
  const AggregateDefinition& a = *f.aggregate;
  std::string args = f.arguments.empty() ? "*" : f.arguments;
  std::vector<std::string> items{"SFUNC = " + a.transition_function, "STYPE = " + a.state_type};
  auto add = [&items](const std::string& key, const std::string& value) {
    if (!value.empty()) items.push_back(key + " = " + value);
  };
  if (a.state_space) add("SSPACE", std::to_string(a.state_space));
  add("FINALFUNC", a.final_function);
  if (a.final_extra) items.push_back("FINALFUNC_EXTRA");
  // The default is READ_ONLY for normal aggregates, READ_WRITE for ordered-set ones.
  const char default_modify = a.kind == 'n' ? 'r' : 'w';
  if (!a.final_function.empty() && a.final_modify != default_modify)
    add("FINALFUNC_MODIFY", modify_keyword(a.final_modify));
  add("COMBINEFUNC", a.combine_function);
  add("SERIALFUNC", a.serial_function);
  add("DESERIALFUNC", a.deserial_function);
  if (a.initial_condition) add("INITCOND", quote_literal(*a.initial_condition));
  add("MSFUNC", a.moving_transition_function);
  add("MINVFUNC", a.moving_inverse_function);
  add("MSTYPE", a.moving_state_type);
  if (a.moving_state_space) add("MSSPACE", std::to_string(a.moving_state_space));
  add("MFINALFUNC", a.moving_final_function);
  if (a.moving_final_extra) items.push_back("MFINALFUNC_EXTRA");
  if (!a.moving_final_function.empty() && a.moving_final_modify != default_modify)
    add("MFINALFUNC_MODIFY", modify_keyword(a.moving_final_modify));
  if (a.moving_initial_condition) add("MINITCOND", quote_literal(*a.moving_initial_condition));
  add("SORTOP", a.sort_operator);
  if (a.kind == 'h') items.push_back("HYPOTHETICAL");
  if (f.parallel == 's') add("PARALLEL", "SAFE");
  if (f.parallel == 'r') add("PARALLEL", "RESTRICTED");
  return "CREATE OR REPLACE AGGREGATE " + qualified_name(f.schema, f.name) + "(" + args + ") (\n    " + join(items, ",\n    ") +
         "\n)";
}

const char* object_keyword(char kind) {
  switch (kind) {
    case 'p': return "PROCEDURE";
    case 'a': return "AGGREGATE";
    default: return "FUNCTION";
  }
}

}  // namespace

std::string routine_signature(const RoutineDefinition& f) {
  std::string args = f.identity_arguments;
  if (f.kind == 'a' && args.empty()) args = "*";
  return qualified_name(f.schema, f.name) + "(" + args + ")";
}

std::vector<std::string> routine_statements(const RoutineDefinition& f) {
  std::vector<std::string> out;
  out.push_back(f.aggregate ? create_aggregate(f) : f.definition);
  if (f.comment)
    out.push_back(std::string("COMMENT ON ") + object_keyword(f.kind) + " " + routine_signature(f) + " IS " +
                  quote_literal(*f.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
