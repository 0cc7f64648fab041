#include "plan/dependency_order.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>
#include <stdexcept>
#include <tuple>

namespace pgclone::agent::plan {

int kind_priority(const std::string& kind) {
  static const std::map<std::string, int> kRank = {
      {"schema", 0},          {"extension", 1},       {"type_shell", 2},    {"type", 2},              {"collation", 2},
      {"access_method", 2},   {"function", 3},        {"aggregate", 4},     {"operator", 4},          {"opfamily", 4},
      {"opclass", 4},         {"opfamily_members", 4}, {"text_search", 4},  {"conversion", 4},        {"cast", 4},
      {"transform", 4},       {"sequence", 5},        {"table", 6},        {"view_placeholder", 7},
      {"view", 8},            {"matview", 9},         {"constraint", 10},  {"index", 11},
      {"table_property", 12}, {"trigger", 13},        {"row_security", 14}, {"policy", 15},
      {"fk", 16},             {"index_attach", 17},   {"rule", 18},        {"sequence_value", 19},
      {"matview_refresh", 20}, {"statistics", 21},  {"fk_validate", 22},     {"security_label", 23},
      {"foreign_data_wrapper", 1}, {"foreign_server", 1}, {"user_mapping", 2}, {"foreign_table", 6},
  };
  auto it = kRank.find(kind);
  return it == kRank.end() ? 100 : it->second;
}

namespace {

// A path through the steps left over by Kahn's algorithm: every one of them
// waits on another left-over step, so walking "waits on" must revisit a step.
std::string describe_cycle(const std::vector<Step>& steps, const std::vector<std::vector<size_t>>& waits_on,
                           const std::vector<int>& pending) {
  size_t start = 0;
  while (pending[start] == 0) ++start;
  std::vector<size_t> path;
  std::map<size_t, size_t> seen;
  size_t at = start;
  while (!seen.count(at)) {
    seen[at] = path.size();
    path.push_back(at);
    for (size_t next : waits_on[at]) {
      if (pending[next] > 0) {
        at = next;
        break;
      }
    }
  }
  std::string text;
  for (size_t i = seen[at]; i < path.size(); ++i) text += steps[path[i]].id + " -> ";
  return text + steps[at].id;
}

}  // namespace

std::vector<Step> order_steps(std::vector<Step> steps) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (!index.emplace(steps[i].id, i).second) throw std::logic_error("duplicate plan step id \"" + steps[i].id + "\"");
  }
  std::vector<std::vector<size_t>> dependents(steps.size()), waits_on(steps.size());
  std::vector<int> pending(steps.size(), 0);
  for (size_t i = 0; i < steps.size(); ++i) {
    std::vector<std::string> kept;
    std::set<std::string> seen;
    for (const auto& dep : steps[i].depends_on) {
      auto it = index.find(dep);
      if (it == index.end() || it->second == i || !seen.insert(dep).second) continue;
      kept.push_back(dep);
      dependents[it->second].push_back(i);
      waits_on[i].push_back(it->second);
      ++pending[i];
    }
    steps[i].depends_on = std::move(kept);
  }
  using Key = std::tuple<int, std::string, size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> ready;
  auto push = [&](size_t i) { ready.emplace(kind_priority(steps[i].kind), steps[i].id, i); };
  for (size_t i = 0; i < steps.size(); ++i)
    if (pending[i] == 0) push(i);
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = std::get<2>(ready.top());
    ready.pop();
    order.push_back(i);
    for (size_t d : dependents[i])
      if (--pending[d] == 0) push(d);
  }
  if (order.size() != steps.size())
    throw std::logic_error("dependency cycle between plan steps: " + describe_cycle(steps, waits_on, pending));
  std::vector<Step> out;
  out.reserve(steps.size());
  for (size_t i : order) out.push_back(std::move(steps[i]));
  return out;
}

}  // namespace pgclone::agent::plan
