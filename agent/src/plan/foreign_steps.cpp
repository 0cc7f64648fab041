#include "plan/foreign_steps.h"

#include <set>

#include "catalog/dependency_reader.h"
#include "ddl/foreign_ddl.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::plan {

using catalog::object_key;

void add_foreign_data_steps(PlanBuilder& plan, const catalog::ForeignObjects& objects,
                            const std::vector<catalog::TableDefinition>& tables, const ForeignDataScope& scope) {
  std::set<std::string> servers, wrappers;
  for (const auto& t : tables)
    if (t.relkind == 'f') servers.insert(t.foreign_server);
  for (const auto& s : objects.servers)
    if (scope.all || servers.count(s.name)) wrappers.insert(s.wrapper);

  for (const auto& w : objects.wrappers) {
    if (!w.extension.empty() || !(scope.all || wrappers.count(w.name))) continue;
    const std::string id = "foreign_data_wrapper:" + w.name;
    plan.add({id, "foreign_data_wrapper", "foreign-data wrapper " + ddl::quote_ident(w.name), Section::kPreData, "",
              ddl::wrapper_statements(w), {}});
    plan.map_key(object_key(catalog::kPgForeignDataWrapper, w.oid), id);
  }
  for (const auto& s : objects.servers) {
    if (!(scope.all || servers.count(s.name))) continue;
    const std::string id = "foreign_server:" + s.name;
    plan.add({id, "foreign_server", "foreign server " + ddl::quote_ident(s.name), Section::kPreData, "",
              ddl::server_statements(s), {"foreign_data_wrapper:" + s.wrapper}});
    plan.map_key(object_key(catalog::kPgForeignServer, s.oid), id);
  }
  for (const auto& m : objects.mappings) {
    if (!(scope.all || servers.count(m.server))) continue;
    const std::string shown = "user mapping for " + ddl::mapping_role(m) + " on server " + ddl::quote_ident(m.server);
    std::vector<std::string> withheld;
    std::string statement = ddl::user_mapping_statement(m, scope.keep_secrets, withheld);
    if (!m.options)
      plan.notice(shown + " created without options: the source role may not read them");
    if (!withheld.empty())
      plan.notice(shown + ": option " + ddl::join(withheld) +
                  " not cloned (only a superuser's clone brings passwords)");
    const std::string id = "user_mapping:" + (m.role.empty() ? std::string("PUBLIC") : "\"" + m.role + "\"") + "@" + m.server;
    plan.add({id, "user_mapping", shown, Section::kPreData, "", {std::move(statement)},
              {"foreign_server:" + m.server}});
    plan.map_key(object_key(catalog::kPgUserMapping, m.oid), id);
  }
}

}  // namespace pgclone::agent::plan
