#include "ddl/text_search_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::string text_search_kind(const catalog::TextSearchDefinition& d) {
  switch (d.kind) {
    case 'p': return "TEXT SEARCH PARSER";
    case 't': return "TEXT SEARCH TEMPLATE";
    case 'd': return "TEXT SEARCH DICTIONARY";
    default: return "TEXT SEARCH CONFIGURATION";
  }
}

std::vector<std::string> text_search_statements(const catalog::TextSearchDefinition& d) {
  const std::string name = qualified_name(d.schema, d.name);
  std::vector<std::string> items;
  switch (d.kind) {
    case 'p':
      items = {"START = " + d.start, "GETTOKEN = " + d.get_token, "END = " + d.end, "LEXTYPES = " + d.lextypes};
      if (!d.headline.empty()) items.push_back("HEADLINE = " + d.headline);
      break;
    case 't':
      if (!d.init.empty()) items.push_back("INIT = " + d.init);
      items.push_back("LEXIZE = " + d.lexize);
      break;
    case 'd':
      items.push_back("TEMPLATE = " + d.template_name);
      if (!d.options.empty()) items.push_back(d.options);
      break;
    default: items.push_back("PARSER = " + d.parser);
  }
  std::vector<std::string> out{"CREATE " + text_search_kind(d) + " " + name + " (\n    " + join(items, ",\n    ") + "\n)"};
  for (const auto& [token, dictionaries] : d.mappings)
    out.push_back("ALTER TEXT SEARCH CONFIGURATION " + name + " ADD MAPPING FOR " + quote_ident(token) + " WITH " +
                  dictionaries);
  if (d.comment) out.push_back("COMMENT ON " + text_search_kind(d) + " " + name + " IS " + quote_literal(*d.comment));
  return out;
}

}  // namespace pgclone::agent::ddl
