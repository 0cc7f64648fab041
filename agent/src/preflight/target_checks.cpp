#include "preflight/target_checks.h"

#include "catalog/catalog_sql.h"
#include "clone/owner_check.h"
#include "clone/privilege_filter.h"
#include "clone/schema_conflict.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"

namespace pgclone::agent::preflight {
namespace {

nlohmann::json array_of(const std::vector<std::string>& items) { return nlohmann::json(items); }

std::string listed(const std::vector<std::string>& items) { return ddl::join(items); }

}  // namespace

TargetServer read_target_server(pg::Connection& target) {
  const pg::Result r = target.query(
      "SELECT pg_catalog.current_setting('server_version') AS version,"
      " pg_catalog.current_setting('server_version_num')::int AS version_num, d.datname,"
      " pg_catalog.pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,"
      " CURRENT_USER AS usr, (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = CURRENT_USER) AS superuser,"
      " pg_catalog.has_database_privilege(d.oid, 'CREATE') AS create_on_database"
      " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()");
  TargetServer s;
  s.version = r.get(0, "version");
  s.version_num = static_cast<int>(r.get_int(0, "version_num"));
  s.database = r.get(0, "datname");
  s.encoding = r.get(0, "encoding");
  s.collate = r.get(0, "collate");
  s.ctype = r.get(0, "ctype");
  s.user = r.get(0, "usr");
  s.superuser = r.get_bool(0, "superuser");
  s.create_on_database = r.get_bool(0, "create_on_database");
  return s;
}

void check_extensions(Report& report, pg::Connection& target, const TargetServer& server, const SourceScope& scope) {
  if (!scope.plan) {
    report.add("extensions", Status::kError,
               "the extensions the schema needs are unknown: the source refused the clone's reading of the schema: " +
                   scope.plan_error);
    return;
  }
  std::vector<std::string> names;
  for (const auto& [name, version] : scope.extensions) names.push_back(name);
  const pg::Result r = target.query(
      "SELECT n, a.name IS NOT NULL AS available, a.default_version, e.extversion AS installed,"
      " COALESCE((SELECT v.trusted FROM pg_catalog.pg_available_extension_versions v"
      "           WHERE v.name = n AND v.version = a.default_version), false) AS trusted"
      " FROM pg_catalog.unnest($1::pg_catalog.text[]) n"
      " LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = n"
      " LEFT JOIN pg_catalog.pg_extension e ON e.extname = n ORDER BY n COLLATE \"C\"",
      {catalog::text_array_literal(names)});
  nlohmann::json needed = nlohmann::json::array();
  std::vector<std::string> unavailable, not_installable, other_version;
  for (int i = 0; i < r.rows(); ++i) {
    const std::string name = r.get(i, 0);
    const bool available = r.get_bool(i, "available");
    const std::optional<std::string> installed = r.get_optional(i, "installed");
    const bool trusted = r.get_bool(i, "trusted");
    const bool installable = installed || (available && (server.superuser || (trusted && server.create_on_database)));
    const std::string& source_version = scope.extensions.at(name);
    needed.push_back({{"name", name},
                      {"source_version", source_version},
                      {"available", available},
                      {"default_version", r.get_optional(i, "default_version").value_or("")},
                      {"installed_version", installed.value_or("")},
                      {"trusted", trusted},
                      {"installable", installable}});
    const std::string shown = ddl::quote_ident(name);
    if (!available && !installed) unavailable.push_back(shown);
    else if (!installable) not_installable.push_back(shown);
    else if (installed && !source_version.empty() && *installed != source_version) {
      other_version.push_back(shown + " " + *installed + " (source " + source_version + ")");
    }
  }
  nlohmann::json facts = {{"needed", needed}};
  if (!unavailable.empty()) {
    report.add("extensions", Status::kError,
               "the schema needs extensions the target cannot install: " + listed(unavailable) +
                   " (not in pg_available_extensions: install the package that provides them on the target server)",
               facts);
  } else if (!not_installable.empty()) {
    report.add("extensions", Status::kError,
               "the schema needs extensions the calling role may not create on the target: " +
                   listed(not_installable) +
                   " (a superuser must create them first, or they must be trusted and the role have CREATE on the "
                   "database)",
               facts);
  } else if (!other_version.empty()) {
    report.add("extensions", Status::kWarning,
               "extensions installed on the target in another version than the source's: " + listed(other_version),
               facts);
  } else {
    report.add("extensions", Status::kOk,
               names.empty() ? "the schema needs no extension"
                             : "every extension the schema needs is installed or installable on the target: " +
                                   listed(names),
               facts);
  }
}

void check_roles(Report& report, pg::Connection& target, const SourceScope& scope, const jobs::Job& job) {
  if (!scope.plan) {
    report.add("roles", Status::kError,
               "the roles the schema's grants name are unknown: the source refused the clone's reading of the "
               "schema: " + scope.plan_error);
    return;
  }
  std::vector<const ddl::PrivilegeStatement*> statements;
  for (const auto& [id, step_statements] : scope.plan->privileges)
    for (const auto& s : step_statements) statements.push_back(&s);
  const clone::PrivilegeFilter filter(target, statements, protocol::PrivilegesMode::kSkipMissingRoles);
  const std::vector<std::string>& missing = filter.missing_roles();
  nlohmann::json facts = {{"missing_grantees", array_of(missing)}};
  // Only "owner": "source" gives objects their source owners: its own check says what it would find.
  std::string owners_note;
  try {
    clone::check_owners_assignable(target, scope.plan->owners, job);
  } catch (const pg::PgError& e) {
    owners_note = e.message;
  }
  facts["owners"] = array_of({scope.plan->owners.begin(), scope.plan->owners.end()});
  facts["owner_source_problem"] = owners_note;
  if (!missing.empty()) {
    const bool one = missing.size() == 1;
    report.add("roles", Status::kError,
               std::string(one ? "role " : "roles ") + ddl::role_list_shown(missing) +
                   (one ? " is" : " are") +
                   " granted privileges on the source but missing on the target: with the default "
                   "\"privileges\": true the clone fails (42704); \"skip_missing_roles\" skips those grants with a "
                   "WARNING, false clones no grants (create the roles first with pgclone.clone_roles())",
               facts);
  } else if (!owners_note.empty()) {
    report.add("roles", Status::kInfo,
               "every grantee exists on the target; with \"owner\": \"source\" the clone would fail: " + owners_note,
               facts);
  } else {
    report.add("roles", Status::kOk, "every role the schema's grants and owners name exists on the target", facts);
  }
}

std::string check_conflicts(Report& report, pg::Connection& target, const std::string& schema,
                            const SourceScope& scope) {
  const std::string state = clone::schema_state(target, schema);
  const std::string shown = ddl::quote_ident(schema);
  nlohmann::json facts = {{"schema_exists", !state.empty()}, {"schema_empty", state == "empty"}};
  if (state.empty()) {
    report.add("conflicts", Status::kOk, "schema " + shown + " does not exist on the target: the clone creates it",
               facts);
    return state;
  }
  if (state == "empty") {
    report.add("conflicts", Status::kOk, "schema " + shown + " exists on the target and is empty: the clone uses it",
               facts);
    return state;
  }
  std::vector<std::string> names;
  for (const auto& r : scope.relations.tables) names.push_back(r.name);
  const pg::Result r = target.query(
      "SELECT pg_catalog.quote_ident(c.relname) FROM pg_catalog.pg_class c"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = $1 AND c.relname = ANY ($2::pg_catalog.text[]) ORDER BY c.relname COLLATE \"C\"",
      {schema, catalog::text_array_literal(names)});
  std::vector<std::string> same_names;
  for (int i = 0; i < r.rows(); ++i) same_names.push_back(r.get(i, 0));
  facts["same_name_tables"] = array_of(same_names);
  facts["conflict_default"] = "error";
  report.add("conflicts", Status::kError,
             "schema " + shown + " exists on the target and is not empty" +
                 (same_names.empty() ? std::string()
                                     : " (tables of the same name: " + listed(same_names) + ")") +
                 ": with the default \"conflict\": \"error\" the clone fails (42P06); \"skip\" leaves it alone, "
                 "\"replace\" replaces it once the clone succeeded, \"rename\" moves it aside",
             facts);
  return state;
}

void check_target_privileges(Report& report, pg::Connection& target, const std::string& schema,
                             const std::string& schema_state, const TargetServer& server, const SourceScope& scope) {
  const std::string shown = ddl::quote_ident(schema);
  nlohmann::json facts = {{"user", server.user},
                          {"superuser", server.superuser},
                          {"create_on_database", server.create_on_database},
                          {"superuser_only_objects", array_of(scope.superuser_only)}};
  if (server.superuser) {
    report.add("target_privileges", Status::kOk, "the calling role " + ddl::role_shown(server.user) +
                                                     " is a superuser on the target", facts);
    return;
  }
  std::vector<std::string> problems;
  if (schema_state.empty() || schema_state == "used") {
    // A new schema, or (replace/rename) a new one next to the old.
    if (!server.create_on_database) problems.push_back("no CREATE privilege on database " + ddl::quote_ident(server.database));
  } else {
    const bool create_on_schema =
        target.query("SELECT pg_catalog.has_schema_privilege($1, 'CREATE')", {schema}).get(0, 0) == "t";
    facts["create_on_schema"] = create_on_schema;
    if (!create_on_schema) problems.push_back("no CREATE privilege on schema " + shown);
  }
  if (!scope.superuser_only.empty()) {
    problems.push_back("only a superuser may create " + listed(scope.superuser_only));
  }
  if (!problems.empty()) {
    report.add("target_privileges", Status::kError,
               "the calling role " + ddl::role_shown(server.user) + " cannot clone schema " + shown + ": " +
                   ddl::join(problems, "; "),
               facts);
    return;
  }
  report.add("target_privileges", Status::kOk,
             "the calling role " + ddl::role_shown(server.user) + " may create what the clone creates", facts);
}

void check_collations(Report& report, pg::Connection& target, const SourceServer& source_server,
                      const TargetServer& server, const SourceScope& scope) {
  std::vector<std::string> shown;
  for (const UsedCollation& c : scope.collations) shown.push_back(c.shown());
  const pg::Result r = target.query(
      "SELECT pg_catalog.format('%I.%I', s, c)"
      " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[])) AS u(s, c)"
      " WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_collation co"
      "   JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace WHERE n.nspname = u.s AND co.collname = u.c"
      "   AND co.collencoding IN (-1, pg_catalog.pg_char_to_encoding($3))) ORDER BY 1",
      {catalog::text_array_literal([&] {
         std::vector<std::string> v;
         for (const UsedCollation& c : scope.collations) v.push_back(c.schema);
         return v;
       }()),
       catalog::text_array_literal([&] {
         std::vector<std::string> v;
         for (const UsedCollation& c : scope.collations) v.push_back(c.name);
         return v;
       }()),
       server.encoding});
  std::vector<std::string> missing;
  for (int i = 0; i < r.rows(); ++i) missing.push_back(r.get(i, 0));
  nlohmann::json facts = {{"used", array_of(shown)},
                          {"missing", array_of(missing)},
                          {"source_collate", source_server.collate},
                          {"source_ctype", source_server.ctype},
                          {"target_collate", server.collate},
                          {"target_ctype", server.ctype}};
  if (!missing.empty()) {
    report.add("collations", Status::kError,
               "the schema uses collations the target lacks: " + listed(missing) +
                   " (create them on the target first)",
               facts);
  } else if (source_server.collate != server.collate || source_server.ctype != server.ctype) {
    report.add("collations", Status::kWarning,
               "the databases' default collation differs (source LC_COLLATE " + source_server.collate +
                   ", LC_CTYPE " + source_server.ctype + "; target " + server.collate + ", " + server.ctype +
                   "): text that uses the default sorts and compares differently on the target",
               facts);
  } else {
    report.add("collations", Status::kOk,
               "the target has every collation the schema uses, and the same default collation (" + server.collate +
                   ")",
               facts);
  }
}

}  // namespace pgclone::agent::preflight
