#pragma once
// PostgreSQL frame: masking in the database, in the caller's session and
// transaction (no agent): dynamic masking policies (masking_policy.cpp) and
// mask_in_place (mask_in_place.cpp). Each returns the function's result
// text; SPI must be connected. Include pg_headers.h first.

namespace pgclone::extension {

char* create_masking_policy(const char* schema, const char* table, const char* mask_json, const char* role);
char* drop_masking_policy(const char* schema, const char* table);
char* mask_in_place(const char* schema, const char* table, const char* mask_json);

}  // namespace pgclone::extension
