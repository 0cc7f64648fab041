#pragma once
// Who a job belongs to, as the agent verified it (never as a request claimed
// it): the enrolled server the request came from, the calling database and
// role by OID (names are only for display: a role "mallory" of another
// server or database is somebody else), and whether that role was a
// superuser when it asked.

#include <cstdint>
#include <string>

namespace pgclone::agent::jobs {

struct JobOwner {
  std::string server;              // name in the agent's enrolment
  std::int64_t database_oid = 0;
  std::string database;
  std::int64_t role_oid = 0;
  std::string role;
  bool is_superuser = false;
  // The calling backend when the request was verified (not stored: only a
  // synchronous call's lock watch needs it, while the call waits).
  int backend_pid = 0;

  // The same principal: server, database and role OIDs.
  bool same_principal(const JobOwner& other) const {
    return server == other.server && database_oid == other.database_oid && role_oid == other.role_oid;
  }

  // A role sees its own jobs; a superuser sees every job of its server.
  bool may_see(const JobOwner& job_owner) const {
    return server == job_owner.server && (is_superuser || same_principal(job_owner));
  }

  // "role@database on server", for logs.
  std::string describe() const { return role + "@" + database + " on " + server; }
};

}  // namespace pgclone::agent::jobs
