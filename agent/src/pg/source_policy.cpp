#include "pg/source_policy.h"

#include <algorithm>
#include <map>
#include <vector>

#include "pg/conninfo.h"
#include "pg/pg_error.h"

namespace pgclone::agent::pg {
namespace {

constexpr const char* kPasswordRequired = "2F003";
constexpr const char* kInsufficientPrivilege = "42501";
constexpr const char* kSuperuserHint = "A superuser can run this clone.";

// Options through which libpq reads the agent's files or uses its identity.
constexpr const char* kRefusedOptions[] = {
    "passfile", "service",     "sslkey",     "sslcert", "sslrootcert", "sslcrl",
    "sslcrldir", "sslpassword", "krbsrvname", "gsslib",  "requirepeer",
};

// libpq's parse_comma_separated_list: no escapes, empty elements kept.
std::vector<std::string> split_hosts(const std::string& list) {
  std::vector<std::string> out;
  std::string::size_type begin = 0;
  for (;;) {
    const auto comma = list.find(',', begin);
    out.push_back(list.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (comma == std::string::npos) return out;
    begin = comma + 1;
  }
}

// libpq's is_unixsock_path: an absolute path, or '@' for Linux's abstract namespace.
bool is_socket_path(const std::string& host) { return !host.empty() && (host[0] == '/' || host[0] == '@'); }

std::string option(const std::map<std::string, std::string>& options, const char* keyword) {
  const auto it = options.find(keyword);
  return it == options.end() ? std::string() : it->second;
}

[[noreturn]] void refuse_socket(const std::string& detail) {
  throw PgError(kInsufficientPrivilege,
                "connecting to the source server through a Unix-domain socket is not allowed for non-superusers",
                detail + " The connection would use the agent's own operating-system identity.",
                "Give the source server's host name or IP address in the connection string. " +
                    std::string(kSuperuserHint));
}

// Each position of the host/hostaddr lists is one server libpq may try: one
// with neither value goes to the default socket directory.
void check_hosts(const std::map<std::string, std::string>& options) {
  const std::string host = option(options, "host");
  const std::string hostaddr = option(options, "hostaddr");
  const std::vector<std::string> hosts = split_hosts(host);
  const std::vector<std::string> addresses = split_hosts(hostaddr);
  for (const std::string& h : hosts) {
    if (is_socket_path(h)) refuse_socket("Host \"" + h + "\" names a Unix-domain socket.");
  }
  const std::size_t n = std::max(hosts.size(), addresses.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool has_host = i < hosts.size() && !hosts[i].empty();
    const bool has_address = i < addresses.size() && !addresses[i].empty();
    if (!has_host && !has_address) {
      refuse_socket(host.empty() && hostaddr.empty()
                        ? "The connection string names no host, so libpq would use the local socket."
                        : "An empty entry in the host list makes libpq use the local socket.");
    }
  }
}

}  // namespace

void check_source_conninfo(const std::string& conninfo) {
  const std::map<std::string, std::string> options = conninfo_options(conninfo);
  for (const char* keyword : kRefusedOptions) {
    if (options.count(keyword) == 0) continue;
    throw PgError(kInsufficientPrivilege,
                  std::string("connection option \"") + keyword + "\" is not allowed for non-superusers",
                  "It would make the agent use its own files or identity on the caller's behalf.",
                  kSuperuserHint);
  }
  if (option(options, "password").empty()) {
    throw PgError(kPasswordRequired, "password is required",
                  "Non-superusers must provide a password in the connection string.");
  }
  check_hosts(options);
}

void check_source_used_password(const Connection& source) {
  if (source.raw() != nullptr && PQconnectionUsedPassword(source.raw()) == 1) return;
  throw PgError(kPasswordRequired, "password is required",
                "Non-superuser cannot connect if the server does not request a password.",
                "The source server's authentication method must be changed to one that asks for a password.");
}

}  // namespace pgclone::agent::pg
