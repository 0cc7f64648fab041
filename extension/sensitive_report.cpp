// Pure C++: see sensitive_report.h.
#include "cxx_only.h"

#include "sensitive_report.h"

#include <deque>
#include <exception>
#include <string>

#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

// Strings the last result points to.
std::deque<std::string> g_strings;

const char* keep(std::string text) {
  g_strings.push_back(std::move(text));
  return g_strings.back().c_str();
}

// What a masking view or create_masking_policy should apply: the best mask
// the column can hold, computed in this database (hash is md5 here; no
// pseudonym, which needs the agent's key). Keys and foreign keys do not
// restrict a view, so they are not asked about.
std::string recommendation(proto::SensitiveKind kind, const ReportColumn& c) {
  proto::SensitiveColumn column;
  column.column.name = c.column_name;
  column.column.type = c.type;
  column.column.category = c.type_category;
  column.column.base_type = c.base_type;
  column.column.char_limit = c.char_limit;
  column.column.not_null = c.not_null;
  const auto rule = proto::recommend_mask(kind, column, proto::KeyUse::kNoKey);
  if (!rule) return "No mask strategy fits this column: review it by hand";
  return "Apply mask strategy: " + proto::mask_rule_json(*rule);
}

}  // namespace

bool build_report_rows(const ReportColumn* columns, std::int64_t count, ReportRow* rows, const char** error) noexcept {
  try {
    g_strings.clear();
    for (std::int64_t i = 0; i < count; ++i) {
      const ReportColumn& c = columns[i];
      ReportRow row{false, "", "", ""};
      if (const auto kind = proto::sensitive_kind_of_name(c.column_name)) {
        row.sensitive = true;
        row.sensitivity = proto::sensitive_kind_name(*kind);
        if (c.policy_masked) {
          row.mask_status = "MASKED (policy)";
          row.recommendation = "OK - masked via policy";
        } else if (c.view_exists) {
          row.mask_status = "MASKED (view)";
          row.recommendation = "OK - masked via view";
        } else {
          row.mask_status = "UNMASKED";
          row.recommendation = keep(recommendation(*kind, c));
        }
      }
      rows[i] = row;
    }
    return true;
  } catch (...) {
    // Only allocations can fail here; no new one to report it.
    *error = "out of memory while building the masking report";
  }
  g_strings.clear();
  return false;
}

}  // namespace pgclone::extension
