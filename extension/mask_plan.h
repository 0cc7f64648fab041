#pragma once
// What a mask_json argument does to one local table (mask_in_place,
// create_masking_policy): the rules parsed and checked against the table's
// columns with the protocol's masking code (the same rules, messages and SQL
// as masked clones, with KeyUse::kNoKey: no agent key exists in the database),
// and the SQL expressions that mask each column.
//
// Included from both sides of the boundary: plain structs and one noexcept
// entry point (see agent_client.h for the rules). Strings of a MaskPlan are
// owned by the planner and valid until the next plan_masks() call; the
// PostgreSQL frame copies what it keeps.

namespace pgclone::extension {

enum class MaskUse : int {
  kView = 0,     // a column of a dynamic masking view, masked per query
  kInPlace = 1,  // the column rewritten in place (ALTER COLUMN ... TYPE ... USING)
};

// One column of the table, read from the catalog by the PostgreSQL frame.
struct MaskPlanColumn {
  const char* name;         // raw
  const char* quoted;       // quote_identifier(name)
  const char* type;         // format_type(atttypid, atttypmod)
  char category;            // typcategory of the base type
  const char* base_type;    // typname of the base type
  int char_limit;           // n of varchar(n) / char(n), -1 without
  bool not_null;
  bool generated;           // a stored generated column
  bool inherited;           // inherited from a parent table (attinhcount > 0)
  bool unique_key;          // in a PRIMARY KEY, UNIQUE constraint or unique index
  const char* foreign_key;  // name of a foreign key it is part of (either side), "" when none
};

struct MaskedColumnPlan {
  int column;                // index into the columns given
  const char* expression;    // the masked value of the column (reads the quoted column)
  const char* length_check;  // "" or max(length of the masked value), for a data-dependent length
  const char* type_check;    // "" or SELECT of the literal values the mask writes, cast to the type
  const char* rule_json;     // the rule as recorded: {"type": ..., parameters}
};

struct MaskPlan {
  bool ok;
  char sqlstate[6];  // when !ok
  const char* message;
  const char* detail;
  const char* hint;
  int count;                        // masked columns (when ok)
  const MaskedColumnPlan* columns;  // in column order
  const char* masks_json;           // {"column": rule, ...} as recorded in pgclone.masking_policies
};

// table: how messages name the table ("s.t"). Never throws.
MaskPlan plan_masks(const char* table, const char* mask_json, const MaskPlanColumn* columns, int ncolumns,
                    MaskUse use) noexcept;

}  // namespace pgclone::extension
