// Server settings as pg_dump writes them for ALTER ROLE / ALTER DATABASE
// ... SET: `SET name TO 'value'`, a list setting such as search_path one
// literal per element. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

namespace pgclone::agent::ddl {

// "SET n TO 'v'" for one "n=v" entry of pg_db_role_setting.setconfig.
std::string set_setting_sql(const std::string& setting);

// The elements of a list setting's value as PostgreSQL stores it
// ("\"$user\", public" -> {"$user", "public"}), as SplitGUCList does.
std::vector<std::string> split_setting_list(const std::string& value);

}  // namespace pgclone::agent::ddl
