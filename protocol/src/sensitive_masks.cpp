// The mask recommended for a sensitive column: the best-suited strategy the
// column can actually take. Whatever is recommended must be accepted by a
// clone's own checks (mask_sql.h, and the key rules of the agent's
// table_masks): a recommendation the clone refused would be worse than none.
#include <nlohmann/json.hpp>

#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::protocol {
namespace {

MaskRule rule(MaskStrategy strategy) {
  MaskRule r;
  r.strategy = strategy;
  return r;
}

MaskRule partial(int prefix, int suffix) {
  MaskRule r = rule(MaskStrategy::kPartial);
  r.prefix = prefix;
  r.suffix = suffix;
  return r;
}

MaskRule noise(double ratio) {
  MaskRule r = rule(MaskStrategy::kNoise);
  r.ratio = ratio;
  return r;
}

MaskRule generalize(std::string step) {
  MaskRule r = rule(MaskStrategy::kGeneralize);
  r.step = std::move(step);
  return r;
}

MaskRule constant(std::string value) {
  MaskRule r = rule(MaskStrategy::kConstant);
  r.value = std::move(value);
  return r;
}

bool fits(const MaskRule& candidate, const MaskColumn& column, KeyUse key) {
  return !mask_unfit_reason(candidate, column, key).has_value();
}

// Keys keep their values distinct and, since foreign keys take the key's
// mask, the same input must give the same output everywhere.
bool fits_key(const MaskRule& candidate) {
  return !unique_key_reason(candidate) && is_deterministic(candidate.strategy) && is_per_row(candidate.strategy);
}

}  // namespace

std::vector<MaskRule> mask_candidates(SensitiveKind kind, const MaskColumn& column) {
  std::vector<MaskRule> out;
  switch (kind) {
    case SensitiveKind::kEmail: out = {rule(MaskStrategy::kEmail)}; break;
    case SensitiveKind::kPhone: out = {rule(MaskStrategy::kPhone), partial(0, 4)}; break;
    case SensitiveKind::kPersonName: out = {rule(MaskStrategy::kName)}; break;
    case SensitiveKind::kNationalId:
    case SensitiveKind::kCardNumber: out = {partial(0, 4)}; break;
    case SensitiveKind::kMoney: out = {noise(0.1)}; break;
    case SensitiveKind::kBirthDate: out = {generalize("year")}; break;
    case SensitiveKind::kAddress: out = {partial(0, 0)}; break;
    case SensitiveKind::kSecret: out = {rule(MaskStrategy::kNull)}; break;
    case SensitiveKind::kIpAddress:
      // inet and cidr take no text; a constant address of their own type does.
      if (column.base_type == "inet") out = {rule(MaskStrategy::kNull), constant("0.0.0.0")};
      if (column.base_type == "cidr") out = {rule(MaskStrategy::kNull), constant("0.0.0.0/0")};
      break;
  }
  // Then whatever still hides the value: a keyed digest for text, a
  // type-keeping pseudonym for numbers and dates, and NULL.
  out.push_back(rule(MaskStrategy::kHash));
  out.push_back(rule(MaskStrategy::kPseudonym));
  out.push_back(rule(MaskStrategy::kNull));
  return out;
}

std::optional<MaskRule> recommend_mask(SensitiveKind kind, const SensitiveColumn& column, KeyUse key,
                                       const DataCheck& data_fits) {
  if (column.foreign_key || column.generated) return std::nullopt;
  const bool is_key = column.unique_key || !column.referencing.empty();
  for (const MaskRule& candidate : mask_candidates(kind, column.column)) {
    if (!fits(candidate, column.column, key)) continue;
    if (is_key && !fits_key(candidate)) continue;
    bool fits_referencing = true;
    for (const MaskColumn& referencing : column.referencing) fits_referencing &= fits(candidate, referencing, key);
    if (!fits_referencing) continue;
    if (data_fits && !data_fits(candidate)) continue;
    return candidate;
  }
  return std::nullopt;
}

std::string mask_rule_json(const MaskRule& rule) {
  const nlohmann::json full = nlohmann::json::parse(rule.to_json());
  if (full.size() == 1) return nlohmann::json(full.at("type")).dump();
  return full.dump();
}

}  // namespace pgclone::protocol
