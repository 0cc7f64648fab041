#include "clone/role_clone.h"

#include <algorithm>
#include <map>
#include <set>

#include "catalog/catalog_sql.h"
#include "catalog/role_catalog.h"
#include "catalog/security_label_catalog.h"
#include "clone/job_session.h"
#include "ddl/role_ddl.h"
#include "ddl/security_label_ddl.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/role_names.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;
using catalog::RoleDefinition;
using catalog::RoleMembership;

// What the target cluster has of the roles the clone touches.
struct TargetRole {
  bool superuser = false;
  bool replication = false;
  bool bypass_rls = false;
  bool has_valid_until = false;
  bool reserved = false;  // pg_* or the target's bootstrap superuser
};

struct TargetState {
  std::map<std::string, TargetRole> roles;  // of the names asked about that exist
  std::set<std::string> databases;
  std::map<std::pair<std::string, std::string>, bool> memberships;  // (role, member) -> admin option
  std::map<std::string, std::vector<std::string>> setting_databases;  // role -> databases with settings ("" = all)
  bool caller_can_create_roles = false;
};

TargetState read_target(pg::Connection& target, const std::vector<std::string>& names) {
  TargetState state;
  const std::string array = catalog::text_array_literal(names);
  const pg::Result roles = target.query(
      "SELECT r.rolname, r.rolsuper, r.rolreplication, r.rolbypassrls, r.rolvaliduntil IS NOT NULL AS has_valid_until,"
      " " + catalog::reserved_role_condition_sql("r") + " AS reserved"
      " FROM pg_catalog.pg_roles r WHERE r.rolname = ANY ($1::pg_catalog.text[])",
      {array});
  for (int i = 0; i < roles.rows(); ++i) {
    TargetRole role;
    role.superuser = roles.get_bool(i, "rolsuper");
    role.replication = roles.get_bool(i, "rolreplication");
    role.bypass_rls = roles.get_bool(i, "rolbypassrls");
    role.has_valid_until = roles.get_bool(i, "has_valid_until");
    role.reserved = roles.get_bool(i, "reserved");
    state.roles[roles.get(i, "rolname")] = role;
  }
  const pg::Result databases = target.query("SELECT datname FROM pg_catalog.pg_database");
  for (int i = 0; i < databases.rows(); ++i) state.databases.insert(databases.get(i, 0));
  const pg::Result members = target.query(
      "SELECT g.rolname AS role, m.rolname AS member, a.admin_option FROM pg_catalog.pg_auth_members a"
      " JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member"
      " WHERE g.rolname = ANY ($1::pg_catalog.text[]) OR m.rolname = ANY ($1::pg_catalog.text[])",
      {array});
  for (int i = 0; i < members.rows(); ++i) {
    state.memberships[{members.get(i, "role"), members.get(i, "member")}] = members.get_bool(i, "admin_option");
  }
  const pg::Result settings = target.query(
      "SELECT r.rolname AS role, COALESCE(d.datname, '') AS database FROM pg_catalog.pg_db_role_setting s"
      " JOIN pg_catalog.pg_roles r ON r.oid = s.setrole LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase"
      " WHERE r.rolname = ANY ($1::pg_catalog.text[]) AND (s.setdatabase = 0 OR d.oid IS NOT NULL)",
      {array});
  for (int i = 0; i < settings.rows(); ++i) {
    state.setting_databases[settings.get(i, "role")].push_back(settings.get(i, "database"));
  }
  state.caller_can_create_roles =
      target.query("SELECT rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER").get(0, 0) == "t";
  return state;
}

// The attribute only a superuser may give, or nullptr.
const char* superuser_only_attribute(bool superuser, bool replication, bool bypass_rls) {
  if (superuser) return "SUPERUSER";
  if (replication) return "REPLICATION";
  if (bypass_rls) return "BYPASSRLS";
  return nullptr;
}

// Everything PostgreSQL would refuse a caller who is not a superuser, before
// anything changes.
void check_caller_may_clone(const std::vector<RoleDefinition>& roles, const TargetState& target) {
  for (const RoleDefinition& role : roles) {
    if (const char* attribute = superuser_only_attribute(role.superuser, role.replication, role.bypass_rls)) {
      throw pg::PgError(sqlstate::kInsufficientPrivilege,
                        "permission denied to clone role " + ddl::role_shown(role.name),
                        "Role " + ddl::role_shown(role.name) + " has the " + attribute +
                            " attribute on the source; only a superuser can give it.",
                        "Clone the role as a superuser, or leave it out with role_names.");
    }
    const auto existing = target.roles.find(role.name);
    if (existing == target.roles.end()) continue;
    const TargetRole& t = existing->second;
    if (const char* attribute = superuser_only_attribute(t.superuser, t.replication, t.bypass_rls)) {
      throw pg::PgError(sqlstate::kInsufficientPrivilege,
                        "permission denied to alter role " + ddl::role_shown(role.name),
                        "Role " + ddl::role_shown(role.name) + " has the " + attribute +
                            " attribute on the target; only a superuser can alter it.",
                        "Clone the role as a superuser, or leave it out with role_names.");
    }
  }
  if (!roles.empty() && !target.caller_can_create_roles) {
    throw pg::PgError(sqlstate::kInsufficientPrivilege, "permission denied to clone roles",
                      "Creating and altering roles needs the CREATEROLE attribute or a superuser.");
  }
}

// Memberships whose other end is neither cloned now nor on the target.
void check_membership_roles(const std::vector<RoleMembership>& memberships, const std::set<std::string>& cloned,
                            const TargetState& target) {
  std::set<std::string> missing;
  for (const RoleMembership& m : memberships) {
    for (const std::string* end : {&m.role, &m.member}) {
      if (!cloned.count(*end) && !target.roles.count(*end)) missing.insert(*end);
    }
  }
  if (missing.empty()) return;
  const std::vector<std::string> names(missing.begin(), missing.end());
  throw pg::PgError(sqlstate::kUndefinedObject,
                    std::string(names.size() == 1 ? "role " : "roles ") + ddl::role_list_shown(names) +
                        (names.size() == 1 ? " does" : " do") + " not exist on the target",
                    "The cloned roles have memberships in or of them on the source.",
                    "Clone those roles too (leave role_names out or name them), or create them first.");
}

// Runs one statement; a failure names the role but never the statement,
// which may hold a password hash.
void run(pg::Connection& target, const std::string& sql, const std::string& what) {
  try {
    target.exec(sql);
  } catch (const pg::PgError& e) {
    throw pg::PgError(e.sqlstate, what + ": " + e.message, e.detail, e.hint);
  }
}


}  // namespace

std::string clone_roles(jobs::Job& job) {
  const protocol::CloneRequest& request = job.request();
  const std::vector<std::string> names = protocol::parse_role_names(request.role_names);
  const bool superuser = caller_is_superuser(job);

  job.set_phase("connecting");
  pg::Connection source = open_source(request.source_conninfo, job);
  InterruptRegistration source_interrupt(job, source);
  pg::Connection target = open_target(job.target_conninfo(), job);
  InterruptRegistration target_interrupt(job, target);

  job.set_phase("reading roles");
  source.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const catalog::NamedRoles named = catalog::check_role_names(source, names);
  if (!named.missing.empty()) {
    throw pg::PgError(sqlstate::kUndefinedObject,
                      std::string(named.missing.size() == 1 ? "role " : "roles ") + ddl::role_list_shown(named.missing) +
                          (named.missing.size() == 1 ? " does" : " do") + " not exist on the source");
  }
  for (const std::string& name : named.reserved) {
    job.add_notice("notice", "role " + ddl::role_shown(name) + " is left alone",
                   "Reserved pg_* roles and the bootstrap superuser are never cloned.");
  }
  catalog::SourceRoles source_roles = catalog::read_roles(source, names, superuser);
  const std::vector<catalog::SecurityLabel> labels = catalog::read_role_security_labels(source);
  source.exec("COMMIT");

  // Everything the clone touches on the target, by name.
  std::vector<std::string> touched;
  for (const RoleDefinition& role : source_roles.roles) touched.push_back(role.name);
  for (const RoleMembership& m : source_roles.memberships) {
    touched.push_back(m.role);
    touched.push_back(m.member);
  }
  target.exec("BEGIN");
  TargetState state = read_target(target, touched);

  // A role the target reserves (its bootstrap superuser may have another
  // name than the source's) is left alone like the source's own.
  std::vector<RoleDefinition> roles;
  for (RoleDefinition& role : source_roles.roles) {
    const auto existing = state.roles.find(role.name);
    if (existing != state.roles.end() && existing->second.reserved) {
      job.add_notice("notice", "role " + ddl::role_shown(role.name) + " is left alone",
                     "It is the target's bootstrap superuser or a reserved role.");
      continue;
    }
    roles.push_back(std::move(role));
  }
  std::set<std::string> cloned;
  for (const RoleDefinition& role : roles) cloned.insert(role.name);

  job.set_phase("checking privileges");
  if (!superuser) check_caller_may_clone(roles, state);
  check_membership_roles(source_roles.memberships, cloned, state);

  // The caller's own role last: altering it (NOCREATEROLE) must not take
  // away what the other roles need.
  const std::string caller_role =
      target.query("SELECT CURRENT_USER::pg_catalog.text").get(0, 0);
  std::stable_partition(roles.begin(), roles.end(), [&](const RoleDefinition& r) { return r.name != caller_role; });

  job.set_phase("cloning roles");
  bool has_password = false;
  for (const RoleDefinition& role : roles) has_password = has_password || role.password_hash.has_value();
  if (has_password) {
    // Only a superuser's clone carries hashes (read_roles): keep them out of
    // the target's server log too.
    target.exec("SET LOCAL log_statement = 'none'; SET LOCAL log_min_error_statement = 'panic';"
                " SET LOCAL log_min_duration_statement = -1");
  }
  std::int64_t created = 0, updated = 0, grants = 0;
  job.set_tables(static_cast<std::int64_t>(roles.size()), 0);
  for (const RoleDefinition& role : roles) {
    throw_if_stopped(job);
    const std::string what = "role " + ddl::role_shown(role.name);
    job.set_current_table(what);
    const auto existing = state.roles.find(role.name);
    ddl::RoleAttributeText how;
    how.superuser_attributes = superuser;
    if (existing == state.roles.end()) {
      run(target, ddl::create_role_sql(role, how), "could not create " + what);
      ++created;
    } else {
      how.clear_valid_until = existing->second.has_valid_until && !role.valid_until;
      run(target, ddl::alter_role_sql(role, how), "could not alter " + what);
      for (const std::string& database : state.setting_databases[role.name]) {
        run(target, ddl::role_reset_sql(role.name, database), "could not reset the settings of " + what);
      }
      ++updated;
    }
    if (role.comment || existing != state.roles.end()) {
      run(target, ddl::role_comment_sql(role), "could not comment on " + what);
    }
    job.set_tables(static_cast<std::int64_t>(roles.size()), created + updated);
  }
  for (const catalog::RoleSettings& settings : source_roles.settings) {
    if (!cloned.count(settings.role)) continue;
    if (!settings.database.empty() && !state.databases.count(settings.database)) {
      job.add_notice("notice", "settings of role " + ddl::role_shown(settings.role) + " in database " +
                                   ddl::role_shown(settings.database) + " were not cloned",
                     "The target has no database of that name.");
      continue;
    }
    for (const std::string& setting : settings.settings) {
      run(target, ddl::role_setting_sql(settings.role, settings.database, setting),
          "could not set a setting of role " + ddl::role_shown(settings.role));
    }
  }
  // The provider must be loaded on the target: else the server's 22023.
  for (const catalog::SecurityLabel& label : labels) {
    if (!cloned.count(label.name)) continue;
    if (const auto statement = ddl::security_label_statement(label))
      run(target, *statement, "could not set the security label of role " + ddl::role_shown(label.name));
  }
  for (const RoleMembership& m : source_roles.memberships) {
    throw_if_stopped(job);
    const std::string what = "membership of role " + ddl::role_shown(m.member) + " in role " + ddl::role_shown(m.role);
    const auto existing = state.memberships.find({m.role, m.member});
    if (existing == state.memberships.end() || (m.admin_option && !existing->second)) {
      run(target, ddl::membership_sql(m), "could not grant " + what);
      ++grants;
    } else if (!m.admin_option && existing->second) {
      // Never more open than the source.
      run(target, ddl::revoke_admin_option_sql(m.role, m.member), "could not revoke the admin option of " + what);
    }
  }
  target.exec("COMMIT");
  job.set_current_table("");
  // Always plural: the established pgclone's wording, which scripts parse.
  return "OK: " + std::to_string(created) + " roles created, " + std::to_string(updated) + " roles updated, " +
         std::to_string(grants) + " grants applied";
}

}  // namespace pgclone::agent::clone
