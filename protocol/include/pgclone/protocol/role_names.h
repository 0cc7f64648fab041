#pragma once
// The role_names argument of clone_roles(): role names separated by commas,
// each taken exactly as written (case kept) once the blanks around it are
// trimmed. A name holding a comma can be written in double quotes ("a,b"),
// a double quote inside them doubled.

#include <string>
#include <string_view>
#include <vector>

namespace pgclone::protocol {

// Distinct names in the order given; empty for empty or all-blank text (all
// roles). Throws OptionsError 22023 for an empty item or an unclosed quote,
// 42622 for a name over kMaxIdentifierBytes, 22023 for text over
// kMaxOptionsBytes.
std::vector<std::string> parse_role_names(std::string_view text);

}  // namespace pgclone::protocol
