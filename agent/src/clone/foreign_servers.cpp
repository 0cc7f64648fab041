#include "clone/foreign_servers.h"

#include <set>

namespace pgclone::agent::clone {

namespace {

std::string name_of(const plan::Step& step) { return step.id.substr(step.id.find(':') + 1); }

bool exists(pg::Connection& target, const char* sql, const std::string& name) {
  return target.query(sql, {name}).rows() > 0;
}

bool depends_on_any(const plan::Step& step, const std::set<std::string>& ids) {
  for (const auto& d : step.depends_on)
    if (ids.count(d)) return true;
  return false;
}

}  // namespace

void settle_foreign_servers(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job, bool database_clone) {
  std::set<std::string> reused;
  for (const plan::Step& step : plan.steps) {
    if (step.kind == "foreign_data_wrapper" &&
        exists(target, "SELECT 1 FROM pg_catalog.pg_foreign_data_wrapper WHERE fdwname = $1", name_of(step))) {
      reused.insert(step.id);
      job.add_notice("notice", step.description + " exists on the target: it is used as it is");
    } else if (step.kind == "foreign_server" &&
               exists(target, "SELECT 1 FROM pg_catalog.pg_foreign_server WHERE srvname = $1", name_of(step))) {
      reused.insert(step.id);
      job.add_notice("notice", step.description + " exists on the target: it is used as it is, with its user mappings");
    }
  }
  std::vector<plan::Step> kept;
  for (plan::Step& step : plan.steps) {
    const bool follows_reused = (step.kind == "user_mapping" || step.kind == "privileges") && depends_on_any(step, reused);
    if (reused.count(step.id) || follows_reused) {
      plan.privileges.erase(step.id);
      continue;
    }
    if (step.kind == "user_mapping") {
      // "user_mapping:PUBLIC@server" or "user_mapping:"role"@server" (names may hold '@')
      const std::string who = name_of(step);
      if (who.rfind("PUBLIC@", 0) != 0) {
        const std::string role = who.substr(1, who.find("\"@") - 1);
        if (!exists(target, "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", role)) {
          job.add_notice("warning", "skipped " + step.description + ": role \"" + role + "\" does not exist on the target");
          continue;
        }
      }
    }
    if (!database_clone && (step.kind == "foreign_server" || step.kind == "foreign_data_wrapper"))
      job.add_notice("notice", "created " + step.description + " on the target: the schema's foreign tables use it");
    kept.push_back(std::move(step));
  }
  plan.steps = std::move(kept);
}

}  // namespace pgclone::agent::clone
