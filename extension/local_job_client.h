#pragma once
// Requests about local jobs (pgclone.mask_in_place, run in the caller's own
// session and only recorded by the agent): registering one and reporting its
// end. Included from both sides of the boundary: plain structs and noexcept
// functions only (the rules of agent_client.h apply).

#include <cstdint>

#include "agent_client.h"

namespace pgclone::extension {

// LocalJobStart for the verified caller as the new current request; the
// agent answers JobAccepted{job id} (or ErrorReply).
SendResult client_send_local_job_start(const AgentAddress& address, const CallerFields& caller,
                                       const char* operation, const char* schema, const char* table,
                                       const char* phase) noexcept;

// How a local job ended. Pointers must not be null ("" when absent).
struct LocalJobEndFields {
  std::int64_t job_id;
  const char* status;  // completed | failed | cancelled
  const char* result_text;
  std::int64_t rows;
  char sqlstate[6];  // "" when completed
  const char* message;
  const char* detail;
  const char* hint;
};

// LocalJobEnd as the new current request; the agent answers JobFinished.
SendResult client_send_local_job_end(const AgentAddress& address, const LocalJobEndFields& end) noexcept;

// LocalJobEnd without waiting (see client_send_detached): for an error path
// or a backend that exits. False when it could not be queued.
bool client_send_local_job_end_detached(const LocalJobEndFields& end) noexcept;

}  // namespace pgclone::extension
