#pragma once
// The "where" option is SQL text that the agent places inside
// COPY (SELECT ... WHERE (<text>)) TO STDOUT on the source. It must stay a
// single filter expression: were it able to close the parenthesis, or comment
// out what follows it, it could turn the COPY into one that writes a file on
// the source server. The check scans the text the way PostgreSQL's lexer does
// (string constants, quoted identifiers, dollar quotes; with
// standard_conforming_strings on, which the agent's sessions set) and refuses
// anything outside a literal that could end the expression or hide the rest of
// the statement. Statement keywords are refused too, as the established
// pgclone does, with its wording.

#include <string_view>

namespace pgclone::protocol {

// Throws OptionsError (22023, key "where") when the text is not one filter
// expression: a semicolon, a comment, unbalanced parentheses, an unterminated
// literal or quoted identifier, or a statement keyword (INSERT, UPDATE,
// DELETE, DROP, CREATE, ALTER, TRUNCATE, GRANT, REVOKE, COPY, EXECUTE, CALL,
// DO, SET, RESET, LOAD) outside literals and quoted identifiers.
void check_where_filter(std::string_view text);

}  // namespace pgclone::protocol
