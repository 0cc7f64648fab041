// ALTER ... OWNER TO, for "owner": "source". Pure: no I/O.
#pragma once

#include <string>

namespace pgclone::agent::ddl {

// "ALTER <keyword> <target> OWNER TO <role>"; target as ALTER names it
// (quoted, qualified, a routine with its argument types), role unquoted.
std::string alter_owner_sql(const std::string& keyword, const std::string& target, const std::string& role);

}  // namespace pgclone::agent::ddl
