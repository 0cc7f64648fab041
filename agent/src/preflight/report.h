#pragma once
// The report pgclone.preflight() returns: every check by name with its
// status, message and the facts it looked at; the messages again as
// errors[], warnings[] and info[]; ready when no check is an error.

#include <string>

#include <nlohmann/json.hpp>

#include "preflight/verdicts.h"

namespace pgclone::agent::preflight {

class Report {
 public:
  explicit Report(std::string schema) : schema_(std::move(schema)) {}

  // `facts`: further fields of the check (an object). A check added twice
  // keeps the last.
  void add(const std::string& check, const Verdict& verdict, nlohmann::json facts = nlohmann::json::object());
  void add(const std::string& check, Status status, const std::string& message,
           nlohmann::json facts = nlohmann::json::object()) {
    add(check, Verdict{status, message}, std::move(facts));
  }
  // A note about the report as a whole (checks not run, and why): info[].
  void note(const std::string& message) { notes_.push_back(message); }

  bool ready() const;
  std::string json() const;

 private:
  std::string schema_;
  nlohmann::json checks_ = nlohmann::json::object();
  std::vector<std::string> order_;
  std::vector<std::string> notes_;
};

}  // namespace pgclone::agent::preflight
