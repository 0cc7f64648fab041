#include "clone/load_readiness.h"

#include <algorithm>
#include <set>

namespace pgclone::agent::clone {
namespace {

// Steps that only read a table they depend on (AccessShareLock at most,
// no change to its catalog rows).
bool only_reads_what_it_depends_on(const plan::Step& step) {
  static const std::set<std::string> kReaders = {"view", "view_placeholder", "matview", "function", "aggregate"};
  return kReaders.count(step.kind) > 0;
}

}  // namespace

std::map<std::string, std::size_t> load_readiness(const plan::ClonePlan& plan,
                                                  const std::vector<const plan::Step*>& pre_data) {
  std::set<std::string> long_loads;
  for (const plan::TableTask& task : plan.tables) {
    if (task.estimated_bytes >= kShortLoadMaxBytes) long_loads.insert(task.id);
  }
  // committed_after[id]: pre-data steps that must have committed once `id`
  // is usable by a load: its own step and the steps that change it.
  std::map<std::string, std::size_t> committed_after;
  for (std::size_t i = 0; i < pre_data.size(); ++i) {
    const plan::Step& step = *pre_data[i];
    std::size_t& own = committed_after[step.id];
    own = std::max(own, i + 1);
    const bool reader = only_reads_what_it_depends_on(step);
    for (const std::string& dependency : step.depends_on) {
      if (reader && long_loads.count(dependency) == 0) continue;
      std::size_t& needed = committed_after[dependency];
      needed = std::max(needed, i + 1);
    }
  }
  auto needed_for = [&](const std::string& id) {
    auto it = committed_after.find(id);
    return it == committed_after.end() ? std::size_t{0} : it->second;
  };
  std::map<std::string, std::size_t> readiness;
  for (const plan::TableTask& task : plan.tables) readiness[task.id] = needed_for(task.id);
  for (const plan::Step& step : plan.steps) {
    if (step.section != plan::Section::kTablePost) continue;
    auto it = readiness.find(step.table_id);
    if (it == readiness.end()) continue;
    for (const std::string& dependency : step.depends_on) it->second = std::max(it->second, needed_for(dependency));
  }
  return readiness;
}

}  // namespace pgclone::agent::clone
