// PostgreSQL frame: the SQL entry points of masking in the database
// (create_masking_policy, drop_masking_policy, mask_in_place). They run in the
// caller's session and transaction, as the caller (not SECURITY DEFINER): no
// agent is involved, so they see the caller's uncommitted changes, take part
// in its transaction, and cannot deadlock with locks the caller holds.
#include "pg_headers.h"

#include "fn_args.h"
#include "masking.h"

extern "C" {
PG_FUNCTION_INFO_V1(pgclone_create_masking_policy);
PG_FUNCTION_INFO_V1(pgclone_drop_masking_policy);
PG_FUNCTION_INFO_V1(pgclone_mask_in_place);
}

namespace {

Datum result_text(const char* result) {
  // SPI_finish frees what was allocated under SPI: copy the result out first.
  const size_t size = strlen(result) + 1;
  char* copy = static_cast<char*>(SPI_palloc(size));
  memcpy(copy, result, size);
  SPI_finish();
  PG_RETURN_TEXT_P(cstring_to_text(copy));
}

}  // namespace

extern "C" Datum pgclone_create_masking_policy(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* schema = required_identifier(fcinfo, 0, "schema_name");
  const char* table = required_identifier(fcinfo, 1, "table_name");
  const char* masks = required_text(fcinfo, 2, "mask_json");
  const char* role = required_identifier(fcinfo, 3, "privileged_role");
  SPI_connect();
  return result_text(create_masking_policy(schema, table, masks, role));
}

extern "C" Datum pgclone_drop_masking_policy(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* schema = required_identifier(fcinfo, 0, "schema_name");
  const char* table = required_identifier(fcinfo, 1, "table_name");
  SPI_connect();
  return result_text(drop_masking_policy(schema, table));
}

extern "C" Datum pgclone_mask_in_place(PG_FUNCTION_ARGS) {
  using namespace pgclone::extension;
  const char* schema = required_identifier(fcinfo, 0, "schema_name");
  const char* table = required_identifier(fcinfo, 1, "table_name");
  const char* masks = required_text(fcinfo, 2, "mask_json");
  SPI_connect();
  return result_text(mask_in_place(schema, table, masks));
}
