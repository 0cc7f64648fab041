#include "clone/database_object_conflicts.h"

#include <algorithm>
#include <set>

#include "ddl/name_adapter.h"
#include "ddl/sql_text.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/sqlstate.h"
#include "plan/database_object_steps.h"

namespace pgclone::agent::clone {
namespace {

namespace sqlstate = protocol::sqlstate;

struct Kind {
  const char* step_kind;
  const char* noun;      // for messages and DDL: "publication", "event trigger"
  const char* keyword;   // "PUBLICATION", "EVENT TRIGGER"
  const char* names_sql;  // every name of the kind on the target
};

constexpr Kind kKinds[] = {
    {"publication", "publication", "PUBLICATION", "SELECT pubname FROM pg_catalog.pg_publication"},
    {"event_trigger", "event trigger", "EVENT TRIGGER", "SELECT evtname FROM pg_catalog.pg_event_trigger"},
};

std::set<std::string> names_on(pg::Connection& target, const Kind& kind) {
  std::set<std::string> out;
  pg::Result r = target.query(kind.names_sql);
  for (int i = 0; i < r.rows(); ++i) out.insert(r.get(i, 0));
  return out;
}

const Kind* kind_of(const plan::Step& step) {
  for (const Kind& k : kKinds)
    if (step.kind == k.step_kind) return &k;
  return nullptr;
}

std::string name_of(const plan::Step& step) { return step.id.substr(step.id.find(':') + 1); }

bool needs_superuser(const plan::Step& step) {
  if (step.kind == "event_trigger") return true;
  for (const std::string& s : step.statements)
    if ((s.rfind("CREATE PUBLICATION ", 0) == 0 && s.find(" FOR ALL TABLES WITH (") != std::string::npos) ||
        (s.rfind("ALTER PUBLICATION ", 0) == 0 && s.find(" ADD TABLES IN SCHEMA ") != std::string::npos))
      return true;
  return false;
}

}  // namespace

void resolve_database_object_conflicts(pg::Connection& target, plan::ClonePlan& plan, jobs::Job& job) {
  const protocol::ConflictMode mode = job.options().conflict;
  std::vector<std::string> skipped;  // step ids
  for (plan::Step& step : plan.steps) {
    const Kind* kind = kind_of(step);
    if (!kind) continue;
    const std::string name = name_of(step);
    if (!job.owner().is_superuser && needs_superuser(step)) {
      throw pg::PgError(sqlstate::kInsufficientPrivilege,
                        "permission denied to clone " + step.description,
                        step.kind == "event_trigger"
                            ? "Only superusers can create event triggers. Nothing was cloned."
                            : "Only superusers can create a publication FOR ALL TABLES or FOR TABLES IN SCHEMA. "
                              "Nothing was cloned.",
                        "Clone the database as a superuser.");
    }
    std::set<std::string> taken = names_on(target, *kind);
    if (!taken.count(name)) continue;
    const std::string quoted = ddl::quote_ident(name);
    switch (mode) {
      case protocol::ConflictMode::kError:
        throw pg::PgError("42710", std::string(kind->noun) + " " + quoted + " already exists on the target",
                          std::string("A ") + kind->noun + " belongs to the database, not to a schema.",
                          "Pass '{\"conflict\": \"replace\"}' to drop it and clone the source's, \"rename\" to keep "
                          "it as " + ddl::quote_ident(name + "_old") + ", or \"skip\" to keep it as it is.");
      case protocol::ConflictMode::kSkip:
        job.add_notice("notice", std::string("skipped ") + kind->noun + " " + quoted + ": it exists on the target");
        skipped.push_back(step.id);
        break;
      case protocol::ConflictMode::kReplace:
        step.statements.insert(step.statements.begin(), std::string("DROP ") + kind->keyword + " " + quoted);
        break;
      case protocol::ConflictMode::kRename: {
        // <name>_old, or _old1, _old2... when taken, like a schema's.
        const std::string aside = ddl::make_unique_name(ddl::truncate_identifier(name + "_old"), taken);
        step.statements.insert(step.statements.begin(),
                               std::string("ALTER ") + kind->keyword + " " + quoted + " RENAME TO " + ddl::quote_ident(aside));
        break;
      }
    }
  }
  if (skipped.empty()) return;
  std::vector<plan::Step> kept;
  for (plan::Step& step : plan.steps) {
    const bool skip = std::find(skipped.begin(), skipped.end(), step.id) != skipped.end() ||
                      (step.kind == plan::kEventTriggerEnableKind &&
                       std::find(skipped.begin(), skipped.end(), "event_trigger:" + name_of(step)) != skipped.end());
    if (!skip) kept.push_back(std::move(step));
  }
  plan.steps = std::move(kept);
}

}  // namespace pgclone::agent::clone
