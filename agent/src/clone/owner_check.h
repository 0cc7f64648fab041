#pragma once
// "owner": "source": before the target is changed, the owners the clone
// will give its objects must exist on the target (42704, naming every
// missing one) and be roles the caller may assign: a superuser may assign
// any, another caller only roles it is a member of (42501), as ALTER ...
// OWNER TO demands.

#include <set>
#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// On the job's target session, which acts as the caller.
void check_owners_assignable(pg::Connection& target, const std::set<std::string>& owners, const jobs::Job& job);

}  // namespace pgclone::agent::clone
