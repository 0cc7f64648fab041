#pragma once
// masking_report()'s pure part: which columns hold sensitive data (by the
// protocol's name rules), whether a policy or a masking view covers them, and
// the mask to apply where nothing does. Included from both sides of the
// boundary: plain structs and a noexcept function only (the rules of
// agent_client.h apply).

#include <cstdint>

namespace pgclone::extension {

// One column of a table the caller can see, as the PostgreSQL frame read it.
struct ReportColumn {
  const char* table_name;
  const char* column_name;
  const char* type;       // format_type()
  char type_category;     // pg_type.typcategory of the base type (domains stripped)
  const char* base_type;  // pg_type.typname of the base type
  int char_limit;         // n of varchar(n) / char(n), -1 without one
  bool not_null;
  bool policy_masked;     // a row of pgclone.masking_policies masks it
  bool view_exists;       // <table>_masked exists in the schema, and no policy has the table
};

// Filled for every input column; strings are owned by this module and stay
// valid until the next call.
struct ReportRow {
  bool sensitive;              // false: leave the column out of the report
  const char* sensitivity;     // protocol::sensitive_kind_name
  const char* mask_status;     // MASKED (policy) | MASKED (view) | UNMASKED
  const char* recommendation;  // OK - masked via policy | OK - masked via view | Apply mask strategy: <rule>
};

// False (and rows untouched) only if the module ran out of memory or failed
// otherwise; `error` then says so. rows has `count` entries.
bool build_report_rows(const ReportColumn* columns, std::int64_t count, ReportRow* rows, const char** error) noexcept;

}  // namespace pgclone::extension
