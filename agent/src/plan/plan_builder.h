// The plan under construction, shared by the planner's parts: steps, the
// catalog keys each step stands for (so pg_depend edges become step
// dependencies), table tasks and notices.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "plan/clone_plan.h"

namespace pgclone::agent::plan {

class PlanBuilder {
 public:
  // Adds a step; returns it for further edits (valid until the next add).
  Step& add(Step step);
  Step* find(const std::string& id);
  bool has(const std::string& id) const { return index_.count(id) > 0; }
  void remove(const std::string& id);

  // The step that creates the catalog object with this key ("1259:16384").
  void map_key(const std::string& key, const std::string& step_id) { keys_[key] = step_id; }
  const std::string* step_for_key(const std::string& key) const;

  void depend(const std::string& step_id, const std::string& on);
  void notice(std::string text) { notices.push_back(std::move(text)); }

  std::vector<Step> steps;
  std::vector<TableTask> tables;
  std::vector<std::string> notices;
  std::map<std::string, std::vector<ddl::PrivilegeStatement>> privileges;  // see ClonePlan
  std::set<std::string> owners;  // see ClonePlan

  // Quoted qualified relation name -> step id, for references by name
  // (partition parents, FK targets, parent indexes).
  std::map<std::string, std::string> table_steps;
  std::map<std::string, std::string> index_steps;
  std::map<std::string, std::vector<std::string>> attach_steps;  // parent index -> its ATTACH steps
  // Keys of objects in scope that the options leave out (a PRIMARY KEY when
  // constraints are off...): what depends on them is left out too.
  std::set<std::string> omitted;

 private:
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> keys_;
};

}  // namespace pgclone::agent::plan
