#include "catalog/sequence_catalog.h"

#include <algorithm>
#include <string>

#include "catalog/catalog_sql.h"

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

namespace pgclone::agent::catalog {

std::vector<DefaultSequence> read_default_sequences(pg::Connection& conn, const std::string& table_oid,
                                                    const std::vector<std::string>& cloned_columns) {
  // The owner column (if the table's own) decides whether the table DDL
  // already creates the sequence: only when that column is cloned too.
  pg::Result r = conn.query(
      "SELECT sn.nspname AS seq_schema, s.relname AS seq_name, pg_catalog.format_type(ps.seqtypid, NULL) AS seq_type,"
      " ps.seqstart, ps.seqincrement, ps.seqmin, ps.seqmax, ps.seqcache, ps.seqcycle, s.relpersistence,"
      " a.attname AS used_by, pg_catalog.pg_get_userbyid(s.relowner) AS seq_owner,"
      " s.relacl::pg_catalog.text[] AS seq_acl,"
      " (SELECT oa.attname FROM pg_catalog.pg_depend o JOIN pg_catalog.pg_attribute oa"
      "    ON oa.attrelid = o.refobjid AND oa.attnum = o.refobjsubid"
      "   WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.objid = s.oid"
      "     AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.refobjid = ad.adrelid"
      "     AND o.deptype IN ('a', 'i') LIMIT 1) AS owned_by_column, " +
          description_sql("s.oid", "pg_catalog.pg_class") +
          " AS comment"
          " FROM pg_catalog.pg_attrdef ad"
          " JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
          " JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
          "  AND d.objid = ad.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'n'"
          " JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'"
          " JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace"
          " JOIN pg_catalog.pg_sequence ps ON ps.seqrelid = s.oid"
          " WHERE ad.adrelid = $1::pg_catalog.oid AND a.attgenerated = ''"
          " ORDER BY sn.nspname, s.relname, a.attnum",
      {table_oid});
  auto cloned = [&cloned_columns](const std::string& column) {
    return std::find(cloned_columns.begin(), cloned_columns.end(), column) != cloned_columns.end();
  };
  std::vector<DefaultSequence> out;
  for (int i = 0; i < r.rows(); ++i) {
    if (!cloned(r.get(i, "used_by"))) continue;
    auto owner = r.get_optional(i, "owned_by_column");
    if (owner && cloned(*owner)) continue;
    SequenceDefinition s = sequence_from_row(r, i);
    if (!out.empty() && out.back().sequence.schema == s.schema && out.back().sequence.name == s.name) {
      out.back().used_by.push_back(r.get(i, "used_by"));
      continue;
    }
    std::optional<std::vector<std::string>> acl;
    if (r.get_optional(i, "seq_acl")) acl = array_column(r, i, "seq_acl");
    out.push_back({std::move(s), {r.get(i, "used_by")}, r.get(i, "seq_owner"), std::move(acl)});
  }
  std::vector<SequenceDefinition*> positions;
  for (auto& d : out) positions.push_back(&d.sequence);
  read_sequence_positions(conn, positions);
  return out;
}

}  // namespace pgclone::agent::catalog
