// Plan steps that give the cloned objects their source owners ("owner":
// "source"): one "owner" step per object, after everything that uses the
// object as its creator (the data load, indexes, matview refreshes: post
// data) and before the object's privileges, which are then granted by
// and relative to the real owner, as pg_dump's would be.
#pragma once

#include <vector>

#include "catalog/owner_catalog.h"
#include "plan/plan_builder.h"

namespace pgclone::agent::plan {

// Adds an "owner:<key>" step for each entry whose object has a step in the
// plan, and records the owners in plan.owners. `section`: kPostData, or
// kPreData for functions(), which has no other section.
void add_owner_steps(PlanBuilder& plan, const std::vector<catalog::OwnerEntry>& entries, Section section);

// The owner step of an object's key, or "" when there is none.
std::string owner_step_id(const std::string& key);

}  // namespace pgclone::agent::plan
