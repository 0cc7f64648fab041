#include "ddl/owner_ddl.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::ddl {

std::string alter_owner_sql(const std::string& keyword, const std::string& target, const std::string& role) {
  return "ALTER " + keyword + " " + target + " OWNER TO " + quote_ident(role);
}

}  // namespace pgclone::agent::ddl
