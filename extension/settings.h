#pragma once
// The extension's GUC variables (defined in module.cpp). PostgreSQL frame only.

extern "C" {
extern char* pgclone_agent_endpoint;   // pgclone.agent_endpoint
extern int pgclone_agent_timeout_ms;   // pgclone.agent_timeout (GUC_UNIT_MS)
extern char* pgclone_target_conninfo;  // pgclone.target_conninfo
}
