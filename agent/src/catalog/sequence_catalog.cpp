#include "catalog/sequence_catalog.h"

namespace pgclone::agent::catalog {

SequenceDefinition sequence_from_row(pg::Connection& conn, const pg::Result& r, int i) {
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
  // The position is only visible by reading the sequence relation itself.
  pg::Result pos = conn.query("SELECT last_value, is_called FROM " + conn.quote_ident(s.schema) + "." +
                              conn.quote_ident(s.name));
  s.last_value = pos.get_int(0, "last_value");
  s.is_called = pos.get_bool(0, "is_called");
  return s;
}

}  // namespace pgclone::agent::catalog
