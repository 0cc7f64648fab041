#include "catalog/sequence_catalog.h"

#include <algorithm>
#include <string>

namespace pgclone::agent::catalog {

SequenceDefinition sequence_from_row(const pg::Result& r, int i) {
  SequenceDefinition s;
  s.schema = r.get(i, "seq_schema");
  s.name = r.get(i, "seq_name");
  s.type = r.get(i, "seq_type");
  s.start = r.get_int(i, "seqstart");
  s.increment = r.get_int(i, "seqincrement");
  s.min_value = r.get_int(i, "seqmin");
  s.max_value = r.get_int(i, "seqmax");
  s.cache = r.get_int(i, "seqcache");
  s.cycle = r.get_bool(i, "seqcycle");
  s.unlogged = r.get(i, "relpersistence") == "u";
  s.comment = r.get_optional(i, "comment");
  return s;
}

void read_sequence_positions(pg::Connection& conn, const std::vector<SequenceDefinition*>& sequences) {
  // pg_sequence_last_value() hides last_value when is_called is false, so
  // each sequence relation is read; UNION ALL keeps that to one statement
  // per chunk.
  constexpr size_t kPerStatement = 250;
  for (size_t first = 0; first < sequences.size(); first += kPerStatement) {
    const size_t last = std::min(sequences.size(), first + kPerStatement);
    std::string sql;
    for (size_t k = first; k < last; ++k) {
      if (k > first) sql += " UNION ALL ";
      sql += "SELECT " + std::to_string(k - first) + " AS k, last_value, is_called FROM " +
             conn.quote_ident(sequences[k]->schema) + "." + conn.quote_ident(sequences[k]->name);
    }
    pg::Result r = conn.query(sql);
    for (int row = 0; row < r.rows(); ++row) {
      SequenceDefinition& s = *sequences[first + static_cast<size_t>(r.get_int(row, "k"))];
      s.last_value = r.get_int(row, "last_value");
      s.is_called = r.get_bool(row, "is_called");
    }
  }
}

}  // namespace pgclone::agent::catalog
