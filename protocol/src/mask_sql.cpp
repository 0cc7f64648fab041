#include "pgclone/protocol/mask_sql.h"

#include <cstdint>
#include <set>
#include <sstream>

namespace pgclone::protocol {
namespace {

// quote_literal as PostgreSQL writes it: E'' when there is a backslash, so
// the text means the same whatever standard_conforming_strings says.
std::string literal(const std::string& text) {
  std::string out;
  bool backslash = false;
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') { out += '\\'; backslash = true; }
    out += c;
  }
  return (backslash ? "E'" : "'") + out + "'";
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool is_integer(const MaskColumn& c) { return c.base_type == "int2" || c.base_type == "int4" || c.base_type == "int8"; }
bool is_number(const MaskColumn& c) {
  return is_integer(c) || c.base_type == "numeric" || c.base_type == "float4" || c.base_type == "float8";
}
bool is_date(const MaskColumn& c) { return c.base_type == "date"; }
bool is_timestamp(const MaskColumn& c) { return c.base_type == "timestamp" || c.base_type == "timestamptz"; }
bool is_string(const MaskColumn& c) { return c.category == 'S'; }

// The largest value of an integer type, as numeric text.
std::string integer_max(const MaskColumn& c) {
  if (c.base_type == "int2") return "32767";
  if (c.base_type == "int4") return "2147483647";
  return "9223372036854775807";
}

bool integer_fits(const MaskColumn& c, std::int64_t v) {
  if (c.base_type == "int2") return v >= -32768 && v <= 32767;
  if (c.base_type == "int4") return v >= -2147483648LL && v <= 2147483647LL;
  return true;
}

std::string text_of(const std::string& column_sql) { return "(" + column_sql + ")::pg_catalog.text"; }

std::string key_bytes(const char* setting) {
  return std::string("(SELECT pg_catalog.decode(pg_catalog.current_setting('") + setting + "'), 'hex'))";
}

// HMAC-SHA-256 of the value's text with the session's key (bytea, 32 bytes).
std::string hmac(const std::string& column_sql) {
  return "pg_catalog.sha256(" + key_bytes(kMaskOuterKeySetting) + " || pg_catalog.sha256(" +
         key_bytes(kMaskInnerKeySetting) + " || pg_catalog.convert_to(" + text_of(column_sql) + ", 'UTF8')))";
}

// 60 bits of the keyed digest as a non-negative numeric.
std::string digest_number(const std::string& column_sql) {
  return "('x' || pg_catalog.left(pg_catalog.encode(" + hmac(column_sql) +
         ", 'hex'), 15))::pg_catalog.bit(60)::pg_catalog.int8::pg_catalog.numeric";
}

std::string hash_text(const std::string& column_sql, KeyUse key) {
  if (key == KeyUse::kNoKey) return "pg_catalog.md5(" + text_of(column_sql) + ")";
  return "pg_catalog.left(pg_catalog.encode(" + hmac(column_sql) + ", 'hex'), 32)";
}

// Letters stay letters of the same case, digits digits, everything else
// stays; which letter or digit comes from the keyed digest of the whole value.
std::string pseudonym_text(const std::string& column_sql) {
  const std::string t = text_of(column_sql);
  return "CASE WHEN " + t + " = '' THEN ''"
         " ELSE (SELECT pg_catalog.string_agg(CASE"
         " WHEN pg_catalog.ascii(s.c) BETWEEN 48 AND 57 THEN pg_catalog.chr(48 + s.b % 10)"
         " WHEN pg_catalog.upper(s.c) <> pg_catalog.lower(s.c) THEN"
         "   CASE WHEN s.c = pg_catalog.upper(s.c) THEN pg_catalog.chr(65 + s.b % 26) ELSE pg_catalog.chr(97 + s.b % 26) END"
         " ELSE s.c END, '' ORDER BY s.i)"
         " FROM (SELECT g.i, pg_catalog.substr(p.v, g.i, 1) AS c,"
         "   pg_catalog.get_byte(CASE WHEN g.i <= 32 THEN p.h"
         "     ELSE pg_catalog.sha256(p.h || pg_catalog.int4send(g.i)) END, (g.i - 1) % 32) AS b"
         "   FROM (SELECT " + t + " AS v, " + hmac(column_sql) + " AS h) p,"
         "   pg_catalog.generate_series(1, pg_catalog.length(p.v)) AS g(i)) s) END";
}

// As many digits as the value had and its sign, within the type.
std::string pseudonym_integer(const std::string& column_sql, const MaskColumn& c) {
  return "(SELECT pg_catalog.sign(q.v) * (q.lo + q.h % (q.hi - q.lo + 1))"
         " FROM (SELECT p.v, p.h, CASE WHEN p.d = 1 THEN 0 ELSE pg_catalog.power(10::pg_catalog.numeric, p.d - 1) END AS lo,"
         "   LEAST(pg_catalog.power(10::pg_catalog.numeric, p.d) - 1, " + integer_max(c) + ") AS hi"
         "   FROM (SELECT (" + column_sql + ")::pg_catalog.numeric AS v,"
         "     pg_catalog.length(pg_catalog.abs((" + column_sql + ")::pg_catalog.numeric)::pg_catalog.text) AS d, " +
         digest_number(column_sql) + " AS h) p) q)";
}

// Up to a year either way, the same shift for the same value.
std::string pseudonym_date(const std::string& column_sql, const MaskColumn& c) {
  if (is_date(c))
    return "(" + column_sql + ") + ((" + digest_number(column_sql) + " % 731) - 365)::pg_catalog.int4";
  return "(" + column_sql + ") + ((" + digest_number(column_sql) +
         " % 63072001) - 31536000) * pg_catalog.interval '1 second'";
}

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

std::string uncast_expression(const MaskRule& rule, const MaskColumn& c, const std::string& col, KeyUse key) {
  const std::string t = text_of(col);
  const std::string if_null = "CASE WHEN (" + col + ") IS NULL THEN NULL ";
  switch (rule.strategy) {
    case MaskStrategy::kEmail:
      return if_null + "WHEN pg_catalog.strpos(" + t + ", '@') > 0 THEN pg_catalog.left(" + t +
             ", 1) || '***@' || pg_catalog.split_part(" + t + ", '@', 2) ELSE '***' END";
    case MaskStrategy::kName:
      return if_null + "ELSE 'XXXX' END";
    case MaskStrategy::kPhone:
      return if_null + "WHEN pg_catalog.length(" + t + ") > 4 THEN '***-' || pg_catalog.right(" + t +
             ", 4) ELSE '****' END";
    case MaskStrategy::kPartial: {
      const std::string keep = std::to_string(rule.prefix + rule.suffix);
      return if_null + "WHEN pg_catalog.length(" + t + ") <= " + keep + " THEN pg_catalog.repeat('*', pg_catalog.length(" +
             t + ")) ELSE pg_catalog.left(" + t + ", " + std::to_string(rule.prefix) + ") || '***' || pg_catalog.right(" +
             t + ", " + std::to_string(rule.suffix) + ") END";
    }
    case MaskStrategy::kHash:
      return hash_text(col, key);
    case MaskStrategy::kNull:
      return "NULL";
    case MaskStrategy::kRandomInt:
      return if_null + "ELSE (" + std::to_string(rule.min) + "::pg_catalog.numeric + pg_catalog.floor(pg_catalog.random() * (" +
             std::to_string(rule.max) + "::pg_catalog.numeric - " + std::to_string(rule.min) +
             " + 1))::pg_catalog.numeric) END";
    case MaskStrategy::kConstant:
      return literal(rule.value);
    case MaskStrategy::kPseudonym:
      if (is_string(c)) return pseudonym_text(col);
      if (is_integer(c)) return pseudonym_integer(col, c);
      return pseudonym_date(col, c);
    case MaskStrategy::kNoise: {
      const std::string spread = number_text(rule.ratio) + " * (2 * pg_catalog.random() - 1)";
      if (is_number(c)) return "(" + col + ") * (1 + " + spread + ")";
      if (is_date(c)) return "(" + col + ") + pg_catalog.round(365 * " + spread + ")::pg_catalog.int4";
      return "(" + col + ") + (" + spread + ") * pg_catalog.interval '365 days'";
    }
    case MaskStrategy::kGeneralize:
      if (is_date_unit(rule.step)) return "pg_catalog.date_trunc(" + literal(rule.step) + ", " + col + ")";
      return "pg_catalog.floor((" + col + ")::pg_catalog.numeric / " + rule.step + ") * " + rule.step;
    case MaskStrategy::kShuffle:
      return col;  // permuted by the query around it, not per row
  }
  return "NULL";
}

}  // namespace

std::optional<std::string> mask_unfit_reason(const MaskRule& rule, const MaskColumn& c, KeyUse key) {
  const std::string strategy = mask_strategy_name(rule.strategy);
  const std::string type = "a column of type " + c.type;
  auto too_long = [&](std::size_t length) -> std::optional<std::string> {
    if (c.char_limit >= 0 && length > static_cast<std::size_t>(c.char_limit))
      return "mask \"" + strategy + "\" writes values of " + std::to_string(length) + " characters, longer than " + c.type +
             " holds";
    return std::nullopt;
  };
  auto strings_only = [&]() -> std::optional<std::string> {
    if (!is_string(c)) return "mask \"" + strategy + "\" writes text, which " + type + " cannot hold";
    return std::nullopt;
  };
  if (rule.strategy == MaskStrategy::kNull && c.not_null) return std::string("mask \"null\" would put NULL into a NOT NULL column");
  switch (rule.strategy) {
    case MaskStrategy::kEmail:
      return strings_only();
    case MaskStrategy::kName:
      if (auto r = strings_only()) return r;
      return too_long(4);
    case MaskStrategy::kPhone:
      if (auto r = strings_only()) return r;
      return too_long(8);
    case MaskStrategy::kPartial: {
      if (auto r = strings_only()) return r;
      const int keep = rule.prefix + rule.suffix;
      // Values up to prefix + suffix characters become as many '*'.
      if (c.char_limit > keep) return too_long(static_cast<std::size_t>(keep) + 3);
      return std::nullopt;
    }
    case MaskStrategy::kHash:
      if (auto r = strings_only()) return r;
      return too_long(32);
    case MaskStrategy::kNull:
    case MaskStrategy::kShuffle:
      return std::nullopt;
    case MaskStrategy::kRandomInt:
      if (is_integer(c)) {
        if (!integer_fits(c, rule.min) || !integer_fits(c, rule.max))
          return "mask \"random_int\" range [" + std::to_string(rule.min) + ", " + std::to_string(rule.max) +
                 "] does not fit " + type;
        return std::nullopt;
      }
      if (is_number(c)) return std::nullopt;  // numeric(p, s) is checked by the server's cast
      if (is_string(c)) return too_long(std::max(std::to_string(rule.min).size(), std::to_string(rule.max).size()));
      return "mask \"random_int\" writes integers, which " + type + " cannot hold";
    case MaskStrategy::kConstant:
      return too_long(utf8_length(rule.value));  // whether the type accepts it: the server's cast says
    case MaskStrategy::kPseudonym:
      if (key == KeyUse::kNoKey)
        return std::string("mask \"pseudonym\" needs the agent's key, which never goes to the target database");
      if (is_string(c) || is_integer(c) || is_date(c) || is_timestamp(c)) return std::nullopt;
      return "mask \"pseudonym\" keeps text, integers, dates and timestamps; " + type + " is none of them";
    case MaskStrategy::kNoise:
      if (is_number(c) || is_date(c) || is_timestamp(c)) return std::nullopt;
      return "mask \"noise\" moves numbers, dates and timestamps; " + type + " is none of them";
    case MaskStrategy::kGeneralize:
      if (is_date_unit(rule.step)) {
        if (is_date(c) || is_timestamp(c)) return std::nullopt;
        return "mask \"generalize\" with step \"" + rule.step + "\" needs a date or timestamp; " + type + " is neither";
      }
      if (is_number(c)) return std::nullopt;
      return "mask \"generalize\" with a numeric step needs a number; " + type + " is not one";
  }
  return std::nullopt;
}

std::optional<std::string> unique_key_reason(const MaskRule& rule) {
  if (keeps_distinct(rule.strategy)) return std::nullopt;
  return std::string("mask \"") + mask_strategy_name(rule.strategy) +
         "\" would make values of a UNIQUE or PRIMARY KEY column collide (only \"hash\" and \"shuffle\" keep them "
         "distinct)";
}

bool masked_length_depends_on_data(const MaskRule& rule, const MaskColumn& column) {
  return rule.strategy == MaskStrategy::kEmail && column.char_limit >= 0;
}

std::string mask_expression(const MaskRule& rule, const MaskColumn& column, const std::string& column_sql, KeyUse key) {
  return "(" + uncast_expression(rule, column, column_sql, key) + ")::" + column.type;
}

std::string masked_length_expression(const MaskRule& rule, const MaskColumn& column, const std::string& column_sql,
                                     KeyUse key) {
  return "pg_catalog.length(" + uncast_expression(rule, column, column_sql, key) + ")";
}

}  // namespace pgclone::protocol
