#pragma once
// Runs planned DDL steps on the target. A failing statement becomes an error
// that names the object, keeping the server's SQLSTATE, detail and hint.

#include <vector>

#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

void run_step(pg::Connection& target, const plan::Step& step);

// The steps' statements in order, sent in pipelines (pg::Connection::
// exec_pipeline) instead of one round trip each: thousands of CREATE TABLEs
// spent a third of their time waiting for the network and the agent. The
// first failure names its step, as run_step's do; nothing after it runs.
void run_steps_pipelined(pg::Connection& target, const std::vector<const plan::Step*>& steps);

}  // namespace pgclone::agent::clone
