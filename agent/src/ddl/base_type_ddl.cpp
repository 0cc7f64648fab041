#include "ddl/base_type_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

namespace {

const char* alignment_name(char a) {
  switch (a) {
    case 'c': return "char";
    case 's': return "int2";
    case 'd': return "double";
    default: return "int4";
  }
}

const char* storage_name(char s) {
  switch (s) {
    case 'e': return "external";
    case 'm': return "main";
    case 'x': return "extended";
    default: return "plain";
  }
}

}  // namespace

std::string shell_type_statement(const catalog::BaseTypeDefinition& t) {
  return "CREATE TYPE " + qualified_name(t.schema, t.name);
}

std::vector<std::string> base_type_statements(const catalog::BaseTypeDefinition& t) {
  const std::string name = qualified_name(t.schema, t.name);
  std::vector<std::string> out;
  if (t.shell) {
    out.push_back(shell_type_statement(t));
  } else {
    std::vector<std::string> items{"INTERNALLENGTH = " + (t.length == -1 ? std::string("variable") : std::to_string(t.length)),
                                   "INPUT = " + t.input, "OUTPUT = " + t.output};
    const std::pair<const char*, const std::string*> functions[] = {
        {"RECEIVE", &t.receive},     {"SEND", &t.send},       {"TYPMOD_IN", &t.typmod_in},
        {"TYPMOD_OUT", &t.typmod_out}, {"ANALYZE", &t.analyze}, {"SUBSCRIPT", &t.subscript}};
    for (const auto& [option, function] : functions)
      if (!function->empty()) items.push_back(std::string(option) + " = " + *function);
    if (t.default_value) items.push_back("DEFAULT = " + quote_literal(*t.default_value));
    if (t.by_value) items.push_back("PASSEDBYVALUE");
    if (t.category != "U") items.push_back("CATEGORY = " + quote_literal(t.category));
    if (t.preferred) items.push_back("PREFERRED = true");
    if (t.delimiter != ',') items.push_back("DELIMITER = " + quote_literal(std::string(1, t.delimiter)));
    if (!t.element.empty()) items.push_back("ELEMENT = " + t.element);
    items.push_back(std::string("ALIGNMENT = ") + alignment_name(t.alignment));
    items.push_back(std::string("STORAGE = ") + storage_name(t.storage));
    if (t.collatable) items.push_back("COLLATABLE = true");
    out.push_back("CREATE TYPE " + name + " (\n    " + join(items, ",\n    ") + "\n)");
  }
  if (t.comment) out.push_back("COMMENT ON TYPE " + name + " IS " + quote_literal(*t.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
