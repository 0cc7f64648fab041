#include "verify/checksum_sql.h"

#include "ddl/sql_text.h"

namespace pgclone::agent::verify {
namespace {

std::vector<std::string> quoted(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& name : names) out.push_back(ddl::quote_ident(name));
  return out;
}

}  // namespace

const char* pin_rendering_sql() {
  // TimeZone: timestamptz prints in it. lc_monetary: money prints with its
  // symbol. The rest as the clone's sessions set them (job_session.cpp),
  // repeated here so verify does not depend on them staying so.
  return "SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres'; SET timezone = 'UTC'; "
         "SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lc_monetary = 'C'; "
         "SET xmlbinary = 'base64'; SET xmloption = 'content'; SET search_path = ''";
}

std::string row_text_sql(const std::vector<std::string>& columns) {
  return "ROW(" + ddl::join(quoted(columns)) + ")::pg_catalog.text";
}

bool RowHash::any_by_value() const {
  for (const bool value : by_value)
    if (value) return true;
  return false;
}

std::string row_hash_sql(const std::vector<std::string>& columns, const RowHash& method) {
  // A record of no columns hashes by text ("()"), as by value it has no type to hash by.
  if (!method.any_by_value() || columns.empty()) {
    return "pg_catalog.hashtextextended(" + row_text_sql(columns) + ", 0)";
  }
  std::vector<std::string> values = quoted(columns);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i >= method.by_value.size() || !method.by_value[i]) values[i] += "::pg_catalog.text";
  }
  return "pg_catalog.hash_record_extended(ROW(" + ddl::join(values) + "), 0)";
}

std::string table_summary_sql(const std::string& qualified, const std::vector<std::string>& columns, bool checksum,
                              const RowHash& method) {
  if (!checksum) return "SELECT pg_catalog.count(*) AS rows, NULL AS checksum FROM ONLY " + qualified;
  return "SELECT pg_catalog.count(*) AS rows, COALESCE(pg_catalog.sum(" + row_hash_sql(columns, method) +
         "), 0)::pg_catalog.text AS checksum FROM ONLY " + qualified;
}

std::string row_hash_cursor_sql(const std::string& cursor, const std::string& qualified,
                                const std::vector<std::string>& columns, const std::vector<std::string>& key_columns,
                                const RowHash& method) {
  std::string key_texts;
  for (const std::string& key : quoted(key_columns)) key_texts += ", " + key + "::pg_catalog.text";
  return "DECLARE " + cursor + " NO SCROLL CURSOR FOR SELECT " + row_text_sql(key_columns) +
         " COLLATE \"C\" AS sort_key, " + row_hash_sql(columns, method) + " AS row_hash" +
         key_texts + " FROM ONLY " + qualified + " ORDER BY 1";
}

}  // namespace pgclone::agent::verify
