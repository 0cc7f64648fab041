#pragma once
// The PostgreSQL servers the operator enrolled: the only peers the agent
// talks to. Read from the --servers file (JSON):
//
//   {"servers": [{"name": "db1",
//                 "public_keys": ["<Z85 key from pgclone-agent keygen>"],
//                 "target": "host=/var/run/postgresql port=5432 user=pgclone_agent"}]}
//
// "target" is how the agent logs in to that server (its own role and
// credentials; the database is the caller's): the request never names it.
// Several public keys per server allow rotating a key without downtime.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgclone::agent::trust {

struct EnrolledServer {
  std::string name;
  std::vector<std::string> public_keys;  // Z85
  std::string target_conninfo;           // without dbname
};

struct EnrolmentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Enrolment {
 public:
  Enrolment() = default;

  // Parses and checks the file; throws EnrolmentError naming the file and
  // the entry at fault. Never echoes a conninfo (it may hold a password).
  static Enrolment load(const std::string& path);
  static Enrolment parse(const std::string& text, const std::string& origin);

  // nullptr when no server has this key / name.
  const EnrolledServer* by_key(const std::string& public_key) const;
  const EnrolledServer* by_name(const std::string& name) const;
  std::size_t size() const { return servers_.size(); }

 private:
  std::vector<EnrolledServer> servers_;
  std::map<std::string, std::size_t> by_key_;
  std::map<std::string, std::size_t> by_name_;
};

// The conninfo a job or a verification of `server` uses for `database`.
std::string target_conninfo_for(const EnrolledServer& server, const std::string& database);

}  // namespace pgclone::agent::trust
