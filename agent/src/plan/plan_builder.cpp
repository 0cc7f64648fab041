#include "plan/plan_builder.h"

#include <stdexcept>

namespace pgclone::agent::plan {

Step& PlanBuilder::add(Step step) {
  if (index_.count(step.id)) throw std::logic_error("duplicate plan step id \"" + step.id + "\"");
  index_[step.id] = steps.size();
  steps.push_back(std::move(step));
  return steps.back();
}

Step* PlanBuilder::find(const std::string& id) {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &steps[it->second];
}

void PlanBuilder::remove(const std::string& id) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < steps.size(); ++i) index_[steps[i].id] = i;
}

const std::string* PlanBuilder::step_for_key(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

void PlanBuilder::depend(const std::string& step_id, const std::string& on) {
  if (step_id == on) return;
  if (Step* s = find(step_id)) s->depends_on.push_back(on);
}

}  // namespace pgclone::agent::plan
