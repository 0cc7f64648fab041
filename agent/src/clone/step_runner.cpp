#include "clone/step_runner.h"

#include <string>

namespace pgclone::agent::clone {
namespace {

// Statements per pipeline: their results (a few dozen bytes each) must fit
// the server's socket buffer while the agent is still sending.
constexpr std::size_t kPipelineDepth = 256;

pg::PgError step_error(const plan::Step& step, const pg::PgError& e) {
  return pg::PgError(e.sqlstate, "could not clone " + step.description + ": " + e.message, e.detail, e.hint,
                     e.context);
}

}  // namespace

void run_step(pg::Connection& target, const plan::Step& step) {
  for (const std::string& statement : step.statements) {
    try {
      target.exec(statement);
    } catch (const pg::PgError& e) {
      throw step_error(step, e);
    }
  }
}

void run_steps_pipelined(pg::Connection& target, const std::vector<const plan::Step*>& steps) {
  std::vector<std::string> statements;
  std::vector<const plan::Step*> sent_for;  // the step of each statement
  auto flush = [&] {
    const auto failure = target.exec_pipeline(statements);
    if (failure) throw step_error(*sent_for.at(failure->index), failure->error);
    statements.clear();
    sent_for.clear();
  };
  for (const plan::Step* step : steps) {
    for (const std::string& statement : step->statements) {
      statements.push_back(statement);
      sent_for.push_back(step);
    }
    if (statements.size() >= kPipelineDepth) flush();
  }
  flush();
}

}  // namespace pgclone::agent::clone
