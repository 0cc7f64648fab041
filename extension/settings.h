#pragma once
// The extension's GUC variables (defined in module.cpp). PostgreSQL frame only.

extern "C" {
extern char* pgclone_agent_endpoint;   // pgclone.agent_endpoint
extern int pgclone_agent_timeout_ms;   // pgclone.agent_timeout (GUC_UNIT_MS)
extern char* pgclone_agent_public_key;  // pgclone.agent_public_key
extern char* pgclone_key_file;          // pgclone.key_file
}
