#include "ops/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace pgclone::agent::ops {
namespace {

std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

void PrometheusText::family(const std::string& name, const std::string& type, const std::string& help) {
  text_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void PrometheusText::sample(const std::string& name, double value, const std::map<std::string, std::string>& labels) {
  text_ += name;
  if (!labels.empty()) {
    text_ += "{";
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      text_ += (first ? "" : ",") + label + "=\"" + escaped(label_value) + "\"";
      first = false;
    }
    text_ += "}";
  }
  char number[64];
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    std::snprintf(number, sizeof number, " %.0f\n", value);
  } else {
    std::snprintf(number, sizeof number, " %.6g\n", value);
  }
  text_ += number;
}

}  // namespace pgclone::agent::ops
