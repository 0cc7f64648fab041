#include "discover/data_fit.h"

#include <sstream>

#include "ddl/sql_text.h"
#include "discover/guarded_read.h"
#include "pgclone/protocol/mask_sql.h"

namespace pgclone::agent::discover {
namespace {

bool is_number(const protocol::MaskColumn& c) { return c.category == 'N'; }

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

}  // namespace

bool mask_fits_data(pg::Connection& source, jobs::Job& job, const CandidateTable& table,
                    const CandidateColumn& column, const protocol::MaskRule& rule) {
  const protocol::MaskColumn& c = column.facts.column;
  const std::string col = ddl::quote_ident(column.name);
  std::string why;
  if (protocol::masked_length_depends_on_data(rule, c)) {
    const std::string longest = "SELECT pg_catalog.max(" +
                                protocol::masked_length_expression(rule, c, col, protocol::KeyUse::kSessionKey) +
                                ") FROM " + table.from;
    std::optional<pg::Result> r = guarded_read(source, job, longest, why);
    if (!r) return false;
    const std::string value = r->get(0, 0);
    return value.empty() || std::stoll(value) <= c.char_limit;
  }
  if (rule.strategy == protocol::MaskStrategy::kNoise && is_number(c)) {
    // The largest value moved by the whole ratio must still be one of the
    // type's values (the cast raises 22003 otherwise).
    const std::string widest = "SELECT (pg_catalog.max(pg_catalog.abs(" + col + "))::pg_catalog.numeric * " +
                               number_text(1 + rule.ratio) + ")::" + c.type + " FROM " + table.from;
    return guarded_read(source, job, widest, why).has_value();
  }
  return true;
}

}  // namespace pgclone::agent::discover
