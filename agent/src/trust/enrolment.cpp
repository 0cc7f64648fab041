#include "trust/enrolment.h"

#include <sys/stat.h>

#include <fstream>
#include <libpq-fe.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pg/conninfo.h"
#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/limits.h"
#include "util/log.h"

namespace pgclone::agent::trust {
namespace {

using json = nlohmann::json;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > protocol::kMaxIdentifierBytes) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

// The target's keywords, parsed by libpq itself; dbname is the caller's to
// give, never the file's.
void check_target(const std::string& conninfo, const std::string& where) {
  if (conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0) {
    throw EnrolmentError(where + ": \"target\" must use the keyword=value form (the agent adds dbname=...)");
  }
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(conninfo.c_str(), &error),
                                                                        &PQconninfoFree);
  if (!options) {
    std::string reason = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    throw EnrolmentError(where + ": \"target\" is not a valid connection string (" +
                         (reason.find("password") != std::string::npos ? std::string("syntax error") : reason) + ")");
  }
  for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && std::string(o->keyword) == "dbname") {
      throw EnrolmentError(where + ": \"target\" must not name a database: the agent connects to the caller's");
    }
  }
}

}  // namespace

Enrolment Enrolment::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw EnrolmentError("could not read servers file \"" + path + "\"");
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0) {
    log::warn("servers file ", path, " is readable by every user; it may hold the agent's passwords");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), "servers file \"" + path + "\"");
}

Enrolment Enrolment::parse(const std::string& text, const std::string& origin) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("servers") || !doc["servers"].is_array()) {
    throw EnrolmentError(origin + " is not valid: a JSON object with a \"servers\" array is expected");
  }
  Enrolment enrolment;
  std::size_t index = 0;
  for (const json& entry : doc["servers"]) {
    const std::string where = origin + ", server " + std::to_string(index + 1);
    if (!entry.is_object()) throw EnrolmentError(where + ": an object is expected");
    for (const auto& [key, value] : entry.items()) {
      if (key != "name" && key != "public_keys" && key != "target") {
        throw EnrolmentError(where + ": unknown key \"" + key + "\"");
      }
    }
    EnrolledServer server;
    if (!entry.contains("name") || !entry["name"].is_string() || !valid_name(entry["name"].get<std::string>())) {
      throw EnrolmentError(where + ": \"name\" must be 1 to 63 letters, digits, '_', '-' or '.'");
    }
    server.name = entry["name"].get<std::string>();
    const std::string named = origin + ", server \"" + server.name + "\"";
    if (enrolment.by_name_.count(server.name)) throw EnrolmentError(named + ": enrolled twice");
    if (!entry.contains("public_keys") || !entry["public_keys"].is_array() || entry["public_keys"].empty()) {
      throw EnrolmentError(named + ": \"public_keys\" must be a non-empty array of keys");
    }
    for (const json& key : entry["public_keys"]) {
      if (!key.is_string() || !protocol::is_curve_key(key.get<std::string>())) {
        throw EnrolmentError(named + ": a public key is not 40 characters of Z85 text");
      }
      if (enrolment.by_key_.count(key.get<std::string>())) {
        throw EnrolmentError(named + ": a public key is enrolled for two servers");
      }
      server.public_keys.push_back(key.get<std::string>());
      enrolment.by_key_[key.get<std::string>()] = enrolment.servers_.size();
    }
    if (!entry.contains("target") || !entry["target"].is_string()) {
      throw EnrolmentError(named + ": \"target\" (how the agent logs in to the server) is missing");
    }
    server.target_conninfo = entry["target"].get<std::string>();
    check_target(server.target_conninfo, named);
    enrolment.by_name_[server.name] = enrolment.servers_.size();
    enrolment.servers_.push_back(std::move(server));
    ++index;
  }
  return enrolment;
}

const EnrolledServer* Enrolment::by_key(const std::string& public_key) const {
  auto it = by_key_.find(public_key);
  return it == by_key_.end() ? nullptr : &servers_[it->second];
}

const EnrolledServer* Enrolment::by_name(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &servers_[it->second];
}

std::string target_conninfo_for(const EnrolledServer& server, const std::string& database) {
  return pg::conninfo_with_dbname(server.target_conninfo, database);
}

}  // namespace pgclone::agent::trust
