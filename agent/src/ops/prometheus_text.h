#pragma once
// Prometheus' text exposition format (version 0.0.4): metric families with
// their HELP and TYPE lines, samples with escaped label values.

#include <map>
#include <string>

namespace pgclone::agent::ops {

class PrometheusText {
 public:
  // Starts a family; type is "gauge" or "counter".
  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, double value, const std::map<std::string, std::string>& labels = {});
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace pgclone::agent::ops
