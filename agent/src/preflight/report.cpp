#include "preflight/report.h"

#include <algorithm>

namespace pgclone::agent::preflight {

void Report::add(const std::string& check, const Verdict& verdict, nlohmann::json facts) {
  if (!facts.is_object()) facts = nlohmann::json::object();
  facts["status"] = status_name(verdict.status);
  facts["message"] = verdict.message;
  if (!checks_.contains(check)) order_.push_back(check);
  checks_[check] = std::move(facts);
}

bool Report::ready() const {
  return std::none_of(order_.begin(), order_.end(),
                      [&](const std::string& name) { return checks_.at(name).at("status") == "error"; });
}

std::string Report::json() const {
  nlohmann::json errors = nlohmann::json::array(), warnings = nlohmann::json::array(),
                 info = nlohmann::json::array();
  for (const std::string& name : order_) {
    const nlohmann::json& check = checks_.at(name);
    const std::string status = check.at("status");
    if (status == "error") errors.push_back(check.at("message"));
    else if (status == "warning") warnings.push_back(check.at("message"));
    else if (status == "info") info.push_back(check.at("message"));
  }
  for (const std::string& note : notes_) info.push_back(note);
  nlohmann::json out;
  out["schema"] = schema_;
  out["ready"] = ready();
  out["summary"] = {{"errors", errors.size()},
                    {"warnings", warnings.size()},
                    {"info", info.size()},
                    {"checks_run", order_.size()}};
  out["errors"] = std::move(errors);
  out["warnings"] = std::move(warnings);
  out["info"] = std::move(info);
  out["checks"] = checks_;
  return out.dump();
}

}  // namespace pgclone::agent::preflight
