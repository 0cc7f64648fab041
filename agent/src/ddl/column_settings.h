// Per-column settings that CREATE TABLE / CREATE MATERIALIZED VIEW cannot
// carry and that follow as ALTER ... ALTER COLUMN statements: storage,
// compression, statistics target and attribute options (n_distinct...).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"

namespace pgclone::agent::ddl {

// "name='value', ..." (each name prefixed with `prefix`, e.g. "toast.").
std::string options_text(const catalog::OptionList& options, const std::string& prefix = {});

struct ColumnSettings {
  std::optional<char> storage;      // attstorage, when it differs from the type's
  std::optional<char> compression;  // attcompression: 'p' pglz, 'l' lz4
  std::optional<int> statistics_target;
  catalog::OptionList options;
};

// `alter_column` is the statement's head up to the column:
// "ALTER TABLE ONLY s.t ALTER COLUMN c".
std::vector<std::string> column_setting_statements(const std::string& alter_column, const ColumnSettings& settings);

}  // namespace pgclone::agent::ddl
