#pragma once
// The checks a clone makes against a masked column's data, made before a
// mask is recommended, so the recommendation is never refused (or fails
// halfway): an e-mail mask whose values would outgrow varchar(n)
// (mask/source_checks), noise that would push a number out of its type's
// range. Full reads of the column, bounded by guarded_read's timeout; a check
// that cannot finish counts as failed.

#include <string>

#include "discover/candidate_tables.h"
#include "jobs/job.h"
#include "pg/connection.h"
#include "pgclone/protocol/mask_rules.h"

namespace pgclone::agent::discover {

bool mask_fits_data(pg::Connection& source, jobs::Job& job, const CandidateTable& table,
                    const CandidateColumn& column, const protocol::MaskRule& rule);

}  // namespace pgclone::agent::discover
