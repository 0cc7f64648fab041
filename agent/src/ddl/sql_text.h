// SQL text helpers that must produce exactly what PostgreSQL itself prints,
// because the clone is judged by comparing pg_dump output.
#pragma once

#include <string>
#include <vector>

namespace pgclone::agent::ddl {

// PostgreSQL's quote_identifier(): quotes only when needed (not all lower-case
// ASCII letters, digits and underscores, starting with a letter or underscore,
// or a keyword that is not unreserved in PostgreSQL 15).
std::string quote_ident(const std::string& ident);

// quote_ident(schema) + "." + quote_ident(name)
std::string qualified_name(const std::string& schema, const std::string& name);

// A string literal that reads back the same whatever standard_conforming_strings
// is: 'text' with quotes doubled, or E'...' when it holds a backslash.
std::string quote_literal(const std::string& text);

// What ruleutils' simple_quote_literal prints inside pg_get_expr() output when
// standard_conforming_strings is on: quotes doubled, never E''.
std::string deparsed_literal(const std::string& text);

// Items joined with ", ".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

// A role name as PostgreSQL's own messages show it: always double-quoted
// ("alice"), not quoted only when needed. For messages, not for SQL.
std::string role_shown(const std::string& name);
// Role names shown that way, joined with ", ".
std::string role_list_shown(const std::vector<std::string>& names);

}  // namespace pgclone::agent::ddl
