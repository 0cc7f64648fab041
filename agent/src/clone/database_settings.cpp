#include "clone/database_settings.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "catalog/catalog_sql.h"
#include "ddl/role_ddl.h"
#include "ddl/setting_ddl.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

// (role, "name=value") of the current database; role "" for the database's own.
const char* kSettingsHere =
    "SELECT COALESCE(r.rolname, '') AS role, c.setting"
    " FROM pg_catalog.pg_db_role_setting s LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole,"
    " pg_catalog.unnest(s.setconfig) WITH ORDINALITY AS c(setting, n)"
    " WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())"
    " AND (s.setrole = 0 OR r.oid IS NOT NULL) ORDER BY 1, c.n";

using Setting = std::pair<std::string, std::string>;  // role, "name=value"

std::vector<Setting> read_settings(pg::Connection& conn) {
  std::vector<Setting> out;
  pg::Result r = conn.query(kSettingsHere);
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.get(i, "role"), r.get(i, "setting"));
  return out;
}

std::string setting_name(const std::string& setting) { return setting.substr(0, setting.find('=')); }

struct TargetRole {
  bool superuser = false;
};

struct Caller {
  std::string name;
  bool superuser = false;
  bool create_role = false;
};

bool may_set_for(const Caller& caller, const std::string& role, const TargetRole& target_role) {
  return caller.superuser || role == caller.name || (caller.create_role && !target_role.superuser);
}

}  // namespace

void add_database_settings_steps(pg::Connection& source, pg::Connection& target, const std::string& database_name,
                                 const std::function<void()>& require_database_owner, jobs::Job& job,
                                 plan::ClonePlan& plan) {
  const std::string database_sql = ddl::quote_ident(database_name);
  const std::vector<Setting> wanted = read_settings(source);
  const std::vector<Setting> present_list = read_settings(target);
  const std::set<Setting> present(present_list.begin(), present_list.end());
  std::set<std::string> roles;
  for (const auto& [role, setting] : wanted)
    if (!role.empty()) roles.insert(role);
  std::map<std::string, TargetRole> target_roles;
  Caller caller;
  {
    pg::Result r = target.query(
        "SELECT rolname, rolsuper FROM pg_catalog.pg_roles WHERE rolname = ANY ($1::pg_catalog.text[])",
        {catalog::text_array_literal({roles.begin(), roles.end()})});
    for (int i = 0; i < r.rows(); ++i) target_roles[r.get(i, "rolname")].superuser = r.get_bool(i, "rolsuper");
    pg::Result me = target.query(
        "SELECT rolname, rolsuper, rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER");
    caller = {me.get(0, "rolname"), me.get_bool(0, "rolsuper"), me.get_bool(0, "rolcreaterole")};
  }

  plan::Step own;
  own.id = "database_settings";
  own.kind = "database_settings";
  own.description = "settings of the database";
  own.section = plan::Section::kLast;
  plan::Step of_roles = own;
  of_roles.id = "database_role_settings";
  of_roles.description = "settings of roles in the database";
  std::set<std::string> forbidden;
  for (const auto& [role, setting] : wanted) {
    if (setting.find('=') == std::string::npos || setting_name(setting).rfind("pgclone.", 0) == 0) continue;
    if (present.count({role, setting})) continue;
    if (role.empty()) {
      own.statements.push_back("ALTER DATABASE " + database_sql + " " + ddl::set_setting_sql(setting));
      continue;
    }
    const auto found = target_roles.find(role);
    if (found == target_roles.end()) {
      job.add_notice("warning", "skipped setting " + setting_name(setting) + " of role " + ddl::role_shown(role) +
                                    " in database " + database_sql + ": the role does not exist on the target");
      continue;
    }
    if (!may_set_for(caller, role, found->second)) forbidden.insert(role);
    of_roles.statements.push_back(ddl::role_setting_sql(role, database_name, setting));
  }
  if (!forbidden.empty()) {
    const bool one = forbidden.size() == 1;
    throw pg::PgError(protocol::sqlstate::kInsufficientPrivilege,
                      std::string("permission denied to clone the settings of ") + (one ? "role " : "roles ") +
                          ddl::role_list_shown({forbidden.begin(), forbidden.end()}) + " in database " + database_sql,
                      std::string("The source sets ALTER ROLE … IN DATABASE … SET for ") +
                          (one ? "this role" : "these roles") +
                          "; only a superuser, the role itself, or a role with CREATEROLE (for roles that are not "
                          "superusers) can. Nothing was cloned.",
                      "Clone as a superuser or a role with CREATEROLE.");
  }
  if (!own.statements.empty()) {
    require_database_owner();
    plan.steps.push_back(std::move(own));
  }
  if (!of_roles.statements.empty()) plan.steps.push_back(std::move(of_roles));
}

}  // namespace pgclone::agent::clone
