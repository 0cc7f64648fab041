#include "clone/owner_check.h"

#include <vector>

#include "catalog/catalog_sql.h"
#include "clone/job_session.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
void check_owners_assignable(pg::Connection& target, const std::set<std::string>& owners, const jobs::Job& job) {
  if (owners.empty()) return;
  const std::vector<std::string> names(owners.begin(), owners.end());
  const pg::Result r = target.query(
      "SELECT n.name, r.oid IS NULL AS missing,"
      " r.oid IS NOT NULL AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER') AS assignable"
      " FROM pg_catalog.unnest($1::pg_catalog.text[]) AS n(name)"
      " LEFT JOIN pg_catalog.pg_roles r ON r.rolname = n.name ORDER BY n.name COLLATE \"C\"",
      {catalog::text_array_literal(names)});
  std::vector<std::string> missing, not_assignable;
  for (int i = 0; i < r.rows(); ++i) {
    if (r.get_bool(i, "missing")) missing.push_back(r.get(i, "name"));
    else if (!r.get_bool(i, "assignable")) not_assignable.push_back(r.get(i, "name"));
  }
  if (!missing.empty()) {
    const bool one = missing.size() == 1;
    throw pg::PgError(protocol::sqlstate::kUndefinedObject,
                      std::string(one ? "owner role " : "owner roles ") + ddl::role_list_shown(missing) +
                          (one ? " does" : " do") + " not exist on the target",
                      "With \"owner\": \"source\" every object the clone creates gets its owner on the source.",
                      "Clone the roles first (pgclone.clone_roles), or leave the option out so that the "
                      "calling role owns what it creates.");
  }
  if (!not_assignable.empty() && !caller_is_superuser(job)) {
    const bool one = not_assignable.size() == 1;
    throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                      std::string("permission denied to give objects to ") + (one ? "role " : "roles ") +
                          ddl::role_list_shown(not_assignable),
                      "With \"owner\": \"source\" the calling role must be a superuser or a member of every "
                      "owner role.",
                      "Have a superuser run the clone, or grant the calling role membership in the owner roles.");
  }
}

}  // namespace pgclone::agent::clone
