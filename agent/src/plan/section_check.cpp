#include "plan/section_check.h"

#include <map>

namespace pgclone::agent::plan {

namespace {

int rank(Section s) {
  switch (s) {
    case Section::kPreData: return 0;
    case Section::kTablePost: return 1;
    case Section::kPostData: return 2;
    case Section::kLast: return 3;
  }
  return 2;
}

}  // namespace

void move_late_dependents(std::vector<Step>& steps, std::vector<std::string>& notices) {
  std::map<std::string, const Step*> by_id;
  for (auto& s : steps) {
    bool late = false;
    for (const auto& d : s.depends_on) {
      auto it = by_id.find(d);
      if (it == by_id.end()) continue;
      const Step& dep = *it->second;
      if (rank(dep.section) > rank(s.section) ||
          (s.section == Section::kTablePost && dep.section == Section::kTablePost && dep.table_id != s.table_id))
        late = true;
    }
    if (late) {
      if (s.kind == "table") {
        notices.push_back((s.description.empty() ? s.id : s.description) +
                          " depends on objects created after the data; creating it may fail");
      } else {
        s.section = Section::kPostData;
        s.table_id.clear();
      }
    }
    by_id[s.id] = &s;
  }
}

}  // namespace pgclone::agent::plan
