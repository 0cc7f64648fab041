#include "verify/row_diff.h"

#include "clone/job_session.h"
#include "verify/checksum_sql.h"
#include "verify/paired_query.h"

namespace pgclone::agent::verify {
namespace {

constexpr const char* kCursor = "pgclone_verify_rows";
constexpr int kBatchRows = 5000;

// Column 0: sort key, 1: row hash, 2...: key values.
class RowStream {
 public:
  RowStream(pg::Connection& connection, int key_count) : connection_(connection), key_count_(key_count) {}

  void start(pg::Result first_batch) { take(std::move(first_batch)); }

  bool at_end() {
    if (position_ < batch_.rows()) return false;
    if (exhausted_) return true;
    take(connection_.query("FETCH FORWARD " + std::to_string(kBatchRows) + " FROM " + kCursor));
    return position_ >= batch_.rows();
  }
  // Valid while !at_end().
  std::string sort_key() const { return batch_.get(position_, 0); }
  std::string row_hash() const { return batch_.get(position_, 1); }
  std::vector<std::string> key_values() const {
    std::vector<std::string> out;
    for (int i = 0; i < key_count_; ++i) out.push_back(batch_.get(position_, 2 + i));
    return out;
  }
  void next() { ++position_; }

 private:
  void take(pg::Result batch) {
    batch_ = std::move(batch);
    position_ = 0;
    exhausted_ = batch_.rows() < kBatchRows;
  }

  pg::Connection& connection_;
  const int key_count_;
  pg::Result batch_;
  int position_ = 0;
  bool exhausted_ = false;
};

}  // namespace

RowDiff diff_rows(jobs::Job& job, pg::Connection& source, pg::Connection& target, const std::string& source_table,
                  const std::string& target_table, const std::vector<std::string>& columns,
                  const std::vector<std::string>& key_columns, const RowHash& method, int limit) {
  query_both(source, row_hash_cursor_sql(kCursor, source_table, columns, key_columns, method), target,
             row_hash_cursor_sql(kCursor, target_table, columns, key_columns, method));
  const std::string fetch = "FETCH FORWARD " + std::to_string(kBatchRows) + " FROM " + kCursor;
  auto [source_batch, target_batch] = query_both(source, fetch, target, fetch);
  const int key_count = static_cast<int>(key_columns.size());
  RowStream from_source(source, key_count), from_target(target, key_count);
  from_source.start(std::move(source_batch));
  from_target.start(std::move(target_batch));

  RowDiff diff;
  auto add = [&](std::vector<std::string> key, const char* difference) {
    if (static_cast<int>(diff.rows.size()) >= limit) {
      diff.more = true;
      return;
    }
    diff.rows.push_back({std::move(key), difference});
  };
  std::int64_t compared = 0;
  while (!diff.more) {
    if (++compared % 10000 == 0) clone::throw_if_stopped(job);
    const bool source_done = from_source.at_end();
    const bool target_done = from_target.at_end();
    if (source_done && target_done) break;
    if (target_done) {
      add(from_source.key_values(), "missing on target");
      from_source.next();
    } else if (source_done) {
      add(from_target.key_values(), "missing on source");
      from_target.next();
    } else {
      const std::string source_key = from_source.sort_key();
      const std::string target_key = from_target.sort_key();
      // std::string compares bytes, as the "C" collation the cursors sort by.
      if (source_key < target_key) {
        add(from_source.key_values(), "missing on target");
        from_source.next();
      } else if (target_key < source_key) {
        add(from_target.key_values(), "missing on source");
        from_target.next();
      } else {
        if (from_source.row_hash() != from_target.row_hash()) add(from_source.key_values(), "changed");
        from_source.next();
        from_target.next();
      }
    }
  }
  const std::string close = std::string("CLOSE ") + kCursor;
  query_both(source, close, target, close);
  return diff;
}

}  // namespace pgclone::agent::verify
