#pragma once
// The JSON text pgclone.diff() returns, call-compatible with the established
// pgclone's report (same keys for what both compare; tables and sequences
// listed by name when present on one side only) and extended with the
// "changes" of each modified entry and the categories functions, types,
// policies and privileges. Shape: doc/sql-api.md.

#include <string>

#include "diff/comparer.h"

namespace pgclone::agent::diff {

std::string report_json(const DiffReport& report);

}  // namespace pgclone::agent::diff
