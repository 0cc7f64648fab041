#include "sample/row_selection.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <vector>

#include "clone/job_session.h"
#include "ddl/sql_text.h"

namespace pgclone::agent::sample {
namespace {

// A sample's rows are copied by ctid: "ctid = ANY (array)" is one TID scan
// that sorts the list and reads each page once, 65 ms for 60,000 rows of a
// 6M-row table. The planner prices it above a (parallel) sequential scan,
// which filtered the whole table in 1.4 s, so the COPY runs with
// enable_seqscan off (kSeqScanSetting). A semi-join with the unnested list
// also gets TID scans, but one per row: 0.7 s.
constexpr const char* kCtidIn = "ctid OPERATOR(pg_catalog.=) ANY (";
// Bounds the key values one lookup statement carries.
constexpr std::size_t kValuesPerQuery = 50000;
// How many more rows than asked a Bernoulli pre-sample reads, so that the
// asked number survives its randomness (retried on the whole table if not).
constexpr double kOversample = 3.0;

std::string table_reference(const catalog::SampledRelation& r) {
  // A plain table's FROM would include inheritance children, whose rows are
  // theirs; a partitioned table's are its partitions'.
  return std::string(r.relkind == 'r' ? "ONLY " : "") + ddl::qualified_name(r.schema, r.name);
}

// An array literal of `items` (each quoted, so any text is one element).
std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (const char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The values of a foreign key's columns in one row, as text.
using KeyValues = std::vector<std::string>;

// One side of a foreign key to look rows up on: the rows of `table` whose
// `columns` equal given values (read as text from the other side, whose
// `value_types` they are cast back to, so they compare as the key does).
struct KeyLookup {
  const catalog::ForeignKeyEdge* edge;
  bool to_parent;  // the referenced rows; else the referencing rows
  const std::string& table() const { return to_parent ? edge->parent_oid : edge->child_oid; }
  const std::vector<std::string>& columns() const { return to_parent ? edge->parent_columns : edge->child_columns; }
  const std::vector<std::string>& value_types() const { return to_parent ? edge->child_types : edge->parent_types; }
  bool operator<(const KeyLookup& other) const {
    return std::tie(edge, to_parent) < std::tie(other.edge, other.to_parent);
  }
};

class Selection {
 public:
  Selection(pg::Connection& source, jobs::Job& job, const catalog::ForeignKeyGraph& graph,
            const SampleRequest& request)
      : source_(source), job_(job), graph_(graph), request_(request) {
    for (const catalog::ForeignKeyEdge& edge : graph_.edges) {
      by_child_[edge.child_oid].push_back(&edge);
      by_parent_[edge.parent_oid].push_back(&edge);
    }
    for (const auto& [oid, r] : graph_.relations)
      for (const std::string& table : r.ancestors) stored_in_[table].push_back(oid);
  }

  SampledRows run() {
    select_starts();
    // Each round looks up, one statement per foreign key and direction, the
    // rows the previous round's new rows pair with; a row is taken once and
    // a key's values are looked up once, so cycles end.
    while (!pending_.empty()) {
      std::map<KeyLookup, std::vector<KeyValues>> round;
      round.swap(pending_);
      for (const auto& [lookup, values] : round) look_up(lookup, values);
    }
    job_.set_current_table("");
    return std::move(chosen_);
  }

 private:
  // The foreign keys that rows stored in `leaf` reference (up) and that
  // reference them (down): those declared on it or on a partitioned table
  // above it. Indexed once, so a row costs what its own keys cost.
  struct LeafEdges {
    std::vector<const catalog::ForeignKeyEdge*> up, down;
  };
  const LeafEdges& edges_of(const std::string& leaf) {
    auto [it, added] = leaf_edges_.try_emplace(leaf);
    if (!added) return it->second;
    for (const std::string& table : graph_.relation(leaf).ancestors) {
      if (const auto up = by_child_.find(table); up != by_child_.end()) {
        it->second.up.insert(it->second.up.end(), up->second.begin(), up->second.end());
      }
      if (const auto down = by_parent_.find(table); down != by_parent_.end()) {
        it->second.down.insert(it->second.down.end(), down->second.begin(), down->second.end());
      }
    }
    return it->second;
  }

  // "tableoid, ctid, <the key columns its rows' lookups need>" for a query
  // on `table` (whose rows may be stored in its partitions).
  const std::vector<std::string>& key_columns_of(const std::string& table) {
    auto [it, added] = key_columns_.try_emplace(table);
    if (!added) return it->second;
    std::set<std::string> seen;
    const auto add = [&](const std::vector<std::string>& columns) {
      for (const std::string& c : columns)
        if (seen.insert(c).second) it->second.push_back(c);
    };
    const auto stored = stored_in_.find(table);
    if (stored == stored_in_.end()) return it->second;
    for (const std::string& leaf : stored->second) {
      for (const catalog::ForeignKeyEdge* edge : edges_of(leaf).up) add(edge->child_columns);
      if (request_.children_limit == 0) continue;
      for (const catalog::ForeignKeyEdge* edge : edges_of(leaf).down) add(edge->parent_columns);
    }
    return it->second;
  }

  std::string select_list(const std::string& table) {
    std::string out = "SELECT tableoid::pg_catalog.oid::pg_catalog.text, ctid::pg_catalog.text";
    for (const std::string& c : key_columns_of(table)) out += ", " + c + "::pg_catalog.text";
    return out;
  }

  // The values of `columns` in row `i` of `rows` (columns from the third on
  // are key_columns_of(table)); nullopt if one is NULL: such a key pairs
  // with no row.
  std::optional<KeyValues> values_of(const pg::Result& rows, int i, const std::string& table,
                                     const std::vector<std::string>& columns) {
    const std::vector<std::string>& present = key_columns_of(table);
    KeyValues out;
    for (const std::string& c : columns) {
      const int at = 2 + static_cast<int>(std::find(present.begin(), present.end(), c) - present.begin());
      if (rows.is_null(i, at)) return std::nullopt;
      out.push_back(rows.get(i, at));
    }
    return out;
  }

  void queue(const KeyLookup& lookup, std::optional<KeyValues> values) {
    if (values && looked_up_[lookup].insert(*values).second) pending_[lookup].push_back(std::move(*values));
  }

  // Rows of a query on `table` by select_list(table); `down` when rows that
  // reference them are wanted too (children).
  void take(const pg::Result& rows, const std::string& table, bool down) {
    for (int i = 0; i < rows.rows(); ++i) {
      const std::string leaf = rows.get(i, 0);
      const std::string ctid = rows.get(i, 1);
      const bool new_row = chosen_[leaf].insert(ctid).second;
      const bool new_down = down && request_.children_limit > 0 && down_taken_[leaf].insert(ctid).second;
      if (!new_row && !new_down) continue;
      const LeafEdges& edges = edges_of(leaf);
      if (new_row) {
        for (const catalog::ForeignKeyEdge* edge : edges.up) {
          queue({edge, true}, values_of(rows, i, table, edge->child_columns));
        }
      }
      if (new_down) {
        for (const catalog::ForeignKeyEdge* edge : edges.down) {
          queue({edge, false}, values_of(rows, i, table, edge->parent_columns));
        }
      }
    }
  }
  void take(const pg::Result& rows, const catalog::SampledRelation& table, bool down) { take(rows, table.oid, down); }

  // Every starting table's starting rows. (Spreading the tables over
  // sessions importing the snapshot bought nothing on 2 CPUs: the big
  // table's scan slowed by what the others' took.)
  void select_starts() {
    for (const auto& [oid, start] : request_.starts) {
      if (start.empty()) continue;
      clone::throw_if_stopped(job_);
      job_.set_current_table(graph_.relation(oid).schema + "." + graph_.relation(oid).name);
      take(select_start(source_, graph_.relation(oid), start), oid, true);
    }
  }

  pg::Result select_start(pg::Connection& session, const catalog::SampledRelation& table,
                          const protocol::StartRows& start) {
    const std::string from = " FROM " + table_reference(table);
    const std::string where = start.where ? " WHERE (" + *start.where + "\n)" : "";
    const std::string seed = std::to_string(request_.seed);
    const std::string repeatable = " REPEATABLE (" + seed + ")";
    const std::string select = select_list(table.oid);
    if (start.percent) {
      return session.query(select + from + " TABLESAMPLE " + request_.method + " (" + std::to_string(*start.percent) + ")" +
                           repeatable + where);
    }
    if (!start.rows) return session.query(select + from + where);
    // The same seed orders the same rows the same way.
    const std::string order = " ORDER BY pg_catalog.hashtext(tableoid::pg_catalog.text || ':' || ctid::pg_catalog.text"
                              " || ':' || '" + seed + "'), ctid LIMIT " + std::to_string(*start.rows);
    if (!start.where && table.reltuples > 0) {
      const double percent = 100.0 * kOversample * static_cast<double>(*start.rows) / table.reltuples;
      if (percent < 50) {
        pg::Result pre = session.query(select + from + " TABLESAMPLE " + request_.method + " (" + std::to_string(percent) + ")" +
                                       repeatable + order);
        if (pre.rows() >= *start.rows) return pre;
      }
    }
    return session.query(select + from + where + order);
  }

  // The rows of lookup.table() whose key columns equal one of `values`.
  void look_up(const KeyLookup& lookup, const std::vector<KeyValues>& values) {
    const catalog::SampledRelation& table = graph_.relation(lookup.table());
    std::vector<std::string> casts, arrays, names;
    for (std::size_t c = 0; c < lookup.columns().size(); ++c) {
      names.push_back("v" + std::to_string(c));
      casts.push_back(names.back() + "::" + lookup.value_types()[c]);
      arrays.push_back("pg_catalog.unnest($" + std::to_string(c + 1) + "::pg_catalog.text[])");
    }
    const std::string sql = select_list(table.oid) + " FROM " + table_reference(table) + " WHERE (" +
                            joined(lookup.columns()) + ") IN (SELECT " + joined(casts) +
                            " FROM ROWS FROM (" + joined(arrays) + ") AS v(" + joined(names) + "))";
    // One budget per referencing table, whichever foreign key (declared on
    // the partitioned table or on each partition) leads to it.
    std::int64_t* budget = lookup.to_parent ? nullptr : &children_taken_[table.root_oid];
    for (std::size_t at = 0; at < values.size(); at += kValuesPerQuery) {
      if (budget && *budget >= request_.children_limit) return;
      clone::throw_if_stopped(job_);
      const std::size_t end = std::min(values.size(), at + kValuesPerQuery);
      std::vector<std::optional<std::string>> params;
      for (std::size_t c = 0; c < lookup.columns().size(); ++c) {
        std::vector<std::string> column;
        for (std::size_t v = at; v < end; ++v) column.push_back(values[v][c]);
        params.push_back(text_array(column));
      }
      if (!budget) {
        take(source_.query(sql, params), table, false);
        continue;
      }
      pg::Result rows = source_.query(sql + " ORDER BY ctid LIMIT " + std::to_string(request_.children_limit - *budget),
                                      params);
      *budget += rows.rows();
      take(rows, table, true);
    }
  }

  pg::Connection& source_;
  jobs::Job& job_;
  const catalog::ForeignKeyGraph& graph_;
  const SampleRequest& request_;
  SampledRows chosen_;
  std::map<std::string, std::set<std::string>> down_taken_;
  std::map<std::string, std::vector<const catalog::ForeignKeyEdge*>> by_child_, by_parent_;
  std::map<std::string, std::vector<std::string>> stored_in_;  // table -> the tables storing its rows
  std::map<std::string, LeafEdges> leaf_edges_;
  std::map<std::string, std::vector<std::string>> key_columns_;
  std::map<KeyLookup, std::set<KeyValues>> looked_up_;
  std::map<KeyLookup, std::vector<KeyValues>> pending_;
  std::map<std::string, std::int64_t> children_taken_;
};

}  // namespace

SampledRows select_sample_rows(pg::Connection& source, jobs::Job& job, const catalog::ForeignKeyGraph& graph,
                               const SampleRequest& request) {
  return Selection(source, job, graph, request).run();
}

std::string ctid_filter(const std::set<std::string>& ctids) {
  if (ctids.empty()) return "false";
  return kCtidIn + std::string("'") + text_array(std::vector<std::string>(ctids.begin(), ctids.end())) +
         "'::pg_catalog.tid[])";
}

}  // namespace pgclone::agent::sample
