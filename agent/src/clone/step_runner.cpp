#include "clone/step_runner.h"

namespace pgclone::agent::clone {

void run_step(pg::Connection& target, const plan::Step& step) {
  for (const std::string& statement : step.statements) {
    try {
      target.exec(statement);
    } catch (const pg::PgError& e) {
      throw pg::PgError(e.sqlstate, "could not clone " + step.description + ": " + e.message, e.detail,
                        e.hint, e.context);
    }
  }
}

}  // namespace pgclone::agent::clone
