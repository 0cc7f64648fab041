#pragma once
// One query on each side at once: both servers work on the same table at the
// same time, so a table costs the slower side's time, not the sum.

#include <string>
#include <utility>

#include "pg/connection.h"

namespace pgclone::agent::verify {

// Sends both, then collects both (each a single-statement query). Throws the
// first side's error (pg::PgError); the other side's result is drained first,
// so both connections stay usable when neither failed.
std::pair<pg::Result, pg::Result> query_both(pg::Connection& first, const std::string& first_sql,
                                             pg::Connection& second, const std::string& second_sql);

}  // namespace pgclone::agent::verify
