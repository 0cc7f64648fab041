#pragma once
// PostgreSQL frame: the local table that mask_in_place() and the masking
// policies work on, found, checked (kind, owner) and locked in the caller's
// session, its columns read from the catalog and the caller's masks planned
// against them (mask_plan.h). Include pg_headers.h first; SPI must be
// connected.

#include "mask_plan.h"

namespace pgclone::extension {

struct MaskTarget {
  Oid relid;
  Oid owner;
  char relkind;
  bool row_security;      // relrowsecurity
  const char* schema;     // raw
  const char* table;      // raw
  const char* qualified;  // quoted schema.table, also how messages name it
  int ncolumns;
  MaskPlanColumn* columns;
  int16* attnums;
  const char** collate;   // " COLLATE s.c" when the column's collation is not its type's, else ""
  char* storage;          // attstorage
  // Filled by plan_target_masks():
  int nmasked;
  MaskedColumnPlan* masked;
  const char* masks_json;
};

// Finds schema.table (42P01), checks that it is a table or partitioned table
// (42809) that the caller owns, directly or through membership, or that the
// caller is a superuser (42501), and locks it in `lock` mode. `action` says
// what needs it in messages ("mask", "create a masking policy on").
MaskTarget* open_mask_target(const char* schema, const char* table, LOCKMODE lock, const char* action);

// Plans mask_json against the target's columns; raises the planner's error
// (22023 naming table, column and reason), checks that the values the masks
// write are values of the columns' types, and that no generated column would
// show a masked column's value (kView) or stop the rewrite (kInPlace).
void plan_target_masks(MaskTarget* target, const char* mask_json, MaskUse use);

// The table and every partition and inheritance child below it, as an SQL
// array expression of oids (for queries that look at all of them).
const char* descendants_sql(const MaskTarget* target);

// SPI_execute of one utility or query statement as `role` (the table's owner,
// or the extension's owner for its catalog), in a security-restricted
// context; restores the caller's identity afterwards (an error restores it too,
// as for any security-restricted operation). Returns SPI_processed.
uint64 execute_as(Oid role, const char* sql, int expected);

// The first column of the first row of a query (NULL when no row or NULL).
char* query_value(const char* sql);

}  // namespace pgclone::extension
