#pragma once
// Connections owned by a running job: opened with the session settings pgclone
// relies on, and registered with the job so that cancelling the job interrupts
// whatever they are doing at that moment.

#include <string>

#include "jobs/job.h"
#include "pg/connection.h"

namespace pgclone::agent::clone {

// Keeps a connection registered for interruption while it lives.
class InterruptRegistration {
 public:
  InterruptRegistration(jobs::Job& job, pg::Connection& connection);
  ~InterruptRegistration();
  InterruptRegistration(const InterruptRegistration&) = delete;
  InterruptRegistration& operator=(const InterruptRegistration&) = delete;

 private:
  jobs::Job& job_;
  int token_;
};

// Whether the job's caller may lend the agent's own files and identity to its
// source connection, as a superuser may with dblink. The one place that says
// where this comes from.
bool caller_is_superuser(const jobs::Job& job);

// Connecting gives up with the job's stop error as soon as the job is
// stopped, and the session set-up that follows is registered for cancelling:
// a stop reaches a job in every phase. The caller registers the connection
// again for what it runs on it (InterruptRegistration, Enlisted).

// Source session: no timeouts that could kill a long read, empty search_path
// (so every name the catalog functions print is schema-qualified), and output
// formats both sides parse the same way. For a caller who is not a superuser
// it must authenticate with the caller's own password (pg/source_policy.h).
pg::Connection open_source(const std::string& conninfo, jobs::Job& job);

// Target session of a job: logs in with the agent's own role (the enrolled
// server's "target") and irrevocably becomes the job's verified owner
// (pgclone.assume_role), so the clone can do exactly what the caller could
// and every object created belongs to it; maintenance_work_mem follows the
// job's option (see CloneOptions).
pg::Connection open_target(const std::string& conninfo, jobs::Job& job);

// The same session for undoing a failed or stopped job's work: the stop does
// not apply to it (the connect timeout does).
pg::Connection open_target_for_cleanup(const std::string& conninfo, const jobs::Job& job);

// The assume_role step of open_target, for a session opened otherwise.
void act_as_owner(pg::Connection& target, const jobs::Job& job);

// Throws the job's stop error (57014, or 57P01 when the agent shuts down)
// when a stop was requested.
void throw_if_stopped(const jobs::Job& job);

}  // namespace pgclone::agent::clone
