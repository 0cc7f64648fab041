#pragma once
// Runs planned DDL steps on the target. A failing statement becomes an error
// that names the object, keeping the server's SQLSTATE, detail and hint.

#include "pg/connection.h"
#include "plan/clone_plan.h"

namespace pgclone::agent::clone {

void run_step(pg::Connection& target, const plan::Step& step);

}  // namespace pgclone::agent::clone
