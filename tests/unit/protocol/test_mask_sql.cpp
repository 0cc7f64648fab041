// Masks as SQL: which strategy fits which column (type, length, NOT NULL,
// keys, the agent's key), with the exact reasons the refusals give, and the
// text of the expressions that run on the source (or in the target database).
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "pgclone/protocol/mask_rules.h"
#include "pgclone/protocol/mask_sql.h"

namespace pgclone::protocol {
namespace {

MaskRule rule_of(const std::string& rule_json) {
  return column_masks_from_json(nlohmann::json::parse("{\"c\": " + rule_json + "}"), "mask").at("c");
}
MaskRule named(const char* strategy) { return rule_of(std::string("\"") + strategy + "\""); }

MaskColumn column(const std::string& type, char category, const std::string& base_type, int char_limit = -1,
                  bool not_null = false) {
  MaskColumn c;
  c.name = "c";
  c.type = type;
  c.category = category;
  c.base_type = base_type;
  c.char_limit = char_limit;
  c.not_null = not_null;
  return c;
}

// Columns as the catalog readers describe them (format_type, typcategory and
// typname of the base type, the length of varchar(n) / char(n)).
const MaskColumn kText = column("text", 'S', "text");
const MaskColumn kVarchar10 = column("character varying(10)", 'S', "varchar", 10);
const MaskColumn kVarchar = column("character varying", 'S', "varchar");
const MaskColumn kChar3 = column("character(3)", 'S', "bpchar", 3);
const MaskColumn kInt2 = column("smallint", 'N', "int2");
const MaskColumn kInt4 = column("integer", 'N', "int4");
const MaskColumn kInt8 = column("bigint", 'N', "int8");
const MaskColumn kNumeric = column("numeric(14,2)", 'N', "numeric");
const MaskColumn kFloat8 = column("double precision", 'N', "float8");
const MaskColumn kDate = column("date", 'D', "date");
const MaskColumn kTimestamptz = column("timestamp with time zone", 'D', "timestamptz");
const MaskColumn kBool = column("boolean", 'B', "bool");
const MaskColumn kUuid = column("uuid", 'U', "uuid");
const MaskColumn kInet = column("inet", 'I', "inet");
const MaskColumn kJsonb = column("jsonb", 'U', "jsonb");
const MaskColumn kTextArray = column("text[]", 'A', "_text");
// CREATE DOMAIN public.email_address AS varchar(20); CREATE DOMAIN public.qty AS int2
const MaskColumn kEmailDomain = column("public.email_address", 'S', "varchar", 20);
const MaskColumn kQtyDomain = column("public.qty", 'N', "int2");
const MaskColumn kLabelDomain = column("public.label", 'S', "text");  // a domain over text

std::string unfit(const MaskRule& rule, const MaskColumn& c, KeyUse key = KeyUse::kSessionKey) {
  const auto reason = mask_unfit_reason(rule, c, key);
  return reason ? *reason : "fits";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::string writes_text(const char* strategy, const std::string& type) {
  return std::string("mask \"") + strategy + "\" writes text, which a column of type " + type + " cannot hold";
}

TEST(MaskSql, TextStrategiesFitStringColumnsOnly) {
  for (const char* s : {"email", "name", "phone", "partial", "hash"}) {
    for (const MaskColumn* c : {&kText, &kVarchar, &kLabelDomain}) EXPECT_EQ(unfit(named(s), *c), "fits") << s << " " << c->type;
    for (const MaskColumn* c : {&kInt2, &kInt4, &kInt8, &kNumeric, &kDate, &kTimestamptz, &kBool, &kUuid, &kInet, &kJsonb,
                                &kTextArray, &kQtyDomain})
      EXPECT_EQ(unfit(named(s), *c), writes_text(s, c->type)) << s;
  }
}

TEST(MaskSql, FixedLengthOutputsMustFitTheColumnsLength) {
  EXPECT_EQ(unfit(named("name"), kChar3), "mask \"name\" writes values of 4 characters, longer than character(3) holds");
  EXPECT_EQ(unfit(named("name"), column("character(4)", 'S', "bpchar", 4)), "fits");
  EXPECT_EQ(unfit(named("phone"), column("character varying(7)", 'S', "varchar", 7)),
            "mask \"phone\" writes values of 8 characters, longer than character varying(7) holds");
  EXPECT_EQ(unfit(named("phone"), column("character varying(8)", 'S', "varchar", 8)), "fits");
  EXPECT_EQ(unfit(named("hash"), column("character varying(31)", 'S', "varchar", 31)),
            "mask \"hash\" writes values of 32 characters, longer than character varying(31) holds");
  EXPECT_EQ(unfit(named("hash"), column("character(32)", 'S', "bpchar", 32)), "fits");
  EXPECT_EQ(unfit(named("hash"), kEmailDomain),
            "mask \"hash\" writes values of 32 characters, longer than public.email_address holds");
  // Email's length depends on the data: checked against it, not here.
  EXPECT_EQ(unfit(named("email"), kChar3), "fits");
  EXPECT_TRUE(masked_length_depends_on_data(named("email"), kChar3));
  EXPECT_TRUE(masked_length_depends_on_data(named("email"), kVarchar10));
  EXPECT_FALSE(masked_length_depends_on_data(named("email"), kText));
  EXPECT_FALSE(masked_length_depends_on_data(named("email"), kVarchar));
  for (const char* s : {"name", "phone", "partial", "hash", "constant", "pseudonym", "null"})
    EXPECT_FALSE(masked_length_depends_on_data(named(s), kVarchar10)) << s;
}

TEST(MaskSql, PartialFitsWhenItsLongestOutputDoes) {
  // Values of up to prefix + suffix characters become as many '*'; longer ones
  // prefix + "***" + suffix characters.
  const MaskRule p11 = named("partial");
  EXPECT_EQ(unfit(p11, column("character varying(2)", 'S', "varchar", 2)), "fits");
  EXPECT_EQ(unfit(p11, column("character varying(3)", 'S', "varchar", 3)),
            "mask \"partial\" writes values of 5 characters, longer than character varying(3) holds");
  EXPECT_EQ(unfit(p11, column("character varying(4)", 'S', "varchar", 4)),
            "mask \"partial\" writes values of 5 characters, longer than character varying(4) holds");
  EXPECT_EQ(unfit(p11, column("character varying(5)", 'S', "varchar", 5)), "fits");
  const MaskRule p23 = rule_of(R"({"type": "partial", "prefix": 2, "suffix": 3})");
  EXPECT_EQ(unfit(p23, column("character(7)", 'S', "bpchar", 7)),
            "mask \"partial\" writes values of 8 characters, longer than character(7) holds");
  EXPECT_EQ(unfit(p23, column("character(8)", 'S', "bpchar", 8)), "fits");
  EXPECT_EQ(unfit(p23, kChar3), "fits");
}

TEST(MaskSql, NullNeedsANullableColumn) {
  for (const MaskColumn* c : {&kText, &kInt4, &kDate, &kJsonb, &kTextArray, &kUuid}) {
    EXPECT_EQ(unfit(named("null"), *c), "fits") << c->type;
    MaskColumn required = *c;
    required.not_null = true;
    EXPECT_EQ(unfit(named("null"), required), "mask \"null\" would put NULL into a NOT NULL column") << c->type;
  }
  // The others keep NULL as NULL and write a value otherwise.
  MaskColumn required = kText;
  required.not_null = true;
  for (const char* s : {"email", "name", "phone", "partial", "hash", "constant", "pseudonym", "shuffle"})
    EXPECT_EQ(unfit(named(s), required), "fits") << s;
}

TEST(MaskSql, ShuffleAndConstantFitAnyType) {
  for (const MaskColumn* c : {&kText, &kInt2, &kNumeric, &kDate, &kBool, &kUuid, &kInet, &kJsonb, &kTextArray, &kQtyDomain})
    EXPECT_EQ(unfit(named("shuffle"), *c), "fits") << c->type;
  // Whether the type accepts the constant is the server's cast to say; only
  // its length is checked here, in characters.
  const MaskRule value = rule_of(R"({"type": "constant", "value": "ééé"})");
  for (const MaskColumn* c : {&kText, &kInt4, &kBool, &kJsonb, &kChar3}) EXPECT_EQ(unfit(value, *c), "fits") << c->type;
  EXPECT_EQ(unfit(value, column("character varying(2)", 'S', "varchar", 2)),
            "mask \"constant\" writes values of 3 characters, longer than character varying(2) holds");
  EXPECT_EQ(unfit(named("constant"), column("character varying(7)", 'S', "varchar", 7)),
            "mask \"constant\" writes values of 8 characters, longer than character varying(7) holds");
}

TEST(MaskSql, RandomIntFitsIntegersInRangeNumbersAndText) {
  const MaskRule dflt = named("random_int");  // [0, 99999]
  EXPECT_EQ(unfit(dflt, kInt4), "fits");
  EXPECT_EQ(unfit(dflt, kInt8), "fits");
  EXPECT_EQ(unfit(dflt, kNumeric), "fits");
  EXPECT_EQ(unfit(dflt, kFloat8), "fits");
  EXPECT_EQ(unfit(dflt, kText), "fits");
  EXPECT_EQ(unfit(dflt, kInt2), "mask \"random_int\" range [0, 99999] does not fit a column of type smallint");
  EXPECT_EQ(unfit(dflt, kQtyDomain), "mask \"random_int\" range [0, 99999] does not fit a column of type public.qty");
  EXPECT_EQ(unfit(rule_of(R"({"type": "random_int", "min": -32768, "max": 32767})"), kInt2), "fits");
  EXPECT_EQ(unfit(rule_of(R"({"type": "random_int", "min": -32769, "max": 0})"), kInt2),
            "mask \"random_int\" range [-32769, 0] does not fit a column of type smallint");
  EXPECT_EQ(unfit(rule_of(R"({"type": "random_int", "min": 0, "max": 2147483648})"), kInt4),
            "mask \"random_int\" range [0, 2147483648] does not fit a column of type integer");
  EXPECT_EQ(unfit(rule_of(R"({"type": "random_int", "min": -2147483648, "max": 2147483647})"), kInt4), "fits");
  EXPECT_EQ(unfit(dflt, column("character varying(4)", 'S', "varchar", 4)),
            "mask \"random_int\" writes values of 5 characters, longer than character varying(4) holds");
  EXPECT_EQ(unfit(rule_of(R"({"type": "random_int", "min": -99, "max": 9})"), column("character(3)", 'S', "bpchar", 3)),
            "fits");
  for (const MaskColumn* c : {&kDate, &kTimestamptz, &kBool, &kUuid, &kJsonb, &kTextArray})
    EXPECT_EQ(unfit(dflt, *c), "mask \"random_int\" writes integers, which a column of type " + c->type + " cannot hold");
}

TEST(MaskSql, PseudonymKeepsTextIntegersDatesAndNeedsTheKey) {
  for (const MaskColumn* c : {&kText, &kVarchar10, &kChar3, &kInt2, &kInt4, &kInt8, &kDate, &kTimestamptz, &kEmailDomain}) {
    EXPECT_EQ(unfit(named("pseudonym"), *c), "fits") << c->type;
    EXPECT_EQ(unfit(named("pseudonym"), *c, KeyUse::kNoKey),
              "mask \"pseudonym\" needs the agent's key, which never goes to the target database")
        << c->type;
  }
  for (const MaskColumn* c : {&kNumeric, &kFloat8, &kBool, &kUuid, &kInet, &kJsonb, &kTextArray})
    EXPECT_EQ(unfit(named("pseudonym"), *c),
              "mask \"pseudonym\" keeps text, integers, dates and timestamps; a column of type " + c->type +
                  " is none of them");
  // Hash has an in-database form (md5).
  EXPECT_EQ(unfit(named("hash"), kText, KeyUse::kNoKey), "fits");
}

TEST(MaskSql, NoiseMovesNumbersDatesAndTimestamps) {
  for (const MaskColumn* c : {&kInt2, &kInt4, &kInt8, &kNumeric, &kFloat8, &kDate, &kTimestamptz, &kQtyDomain})
    EXPECT_EQ(unfit(named("noise"), *c), "fits") << c->type;
  for (const MaskColumn* c : {&kText, &kBool, &kUuid, &kInet, &kJsonb, &kTextArray})
    EXPECT_EQ(unfit(named("noise"), *c),
              "mask \"noise\" moves numbers, dates and timestamps; a column of type " + c->type + " is none of them");
}

TEST(MaskSql, GeneralizeTakesDatesByUnitAndNumbersByStep) {
  const MaskRule month = rule_of(R"({"type": "generalize", "step": "month"})");
  const MaskRule tens = rule_of(R"({"type": "generalize", "step": 10})");
  EXPECT_EQ(unfit(month, kDate), "fits");
  EXPECT_EQ(unfit(month, kTimestamptz), "fits");
  EXPECT_EQ(unfit(tens, kInt4), "fits");
  EXPECT_EQ(unfit(tens, kNumeric), "fits");
  EXPECT_EQ(unfit(tens, kQtyDomain), "fits");
  for (const MaskColumn* c : {&kInt4, &kText, &kBool, &kJsonb})
    EXPECT_EQ(unfit(month, *c),
              "mask \"generalize\" with step \"month\" needs a date or timestamp; a column of type " + c->type +
                  " is neither");
  for (const MaskColumn* c : {&kDate, &kTimestamptz, &kText, &kUuid})
    EXPECT_EQ(unfit(tens, *c),
              "mask \"generalize\" with a numeric step needs a number; a column of type " + c->type + " is not one");
}

TEST(MaskSql, OnlyHashAndShuffleKeepUniqueKeys) {
  EXPECT_FALSE(unique_key_reason(named("hash")));
  EXPECT_FALSE(unique_key_reason(named("shuffle")));
  for (const char* s : {"email", "name", "phone", "partial", "null", "random_int", "constant", "pseudonym", "noise"}) {
    const auto reason = unique_key_reason(named(s));
    ASSERT_TRUE(reason) << s;
    EXPECT_EQ(*reason, std::string("mask \"") + s +
                           "\" would make values of a UNIQUE or PRIMARY KEY column collide (only \"hash\" and "
                           "\"shuffle\" keep them distinct)");
  }
  EXPECT_TRUE(unique_key_reason(rule_of(R"({"type": "generalize", "step": "day"})")));
}

// ---------------------------------------------------------------- expressions

TEST(MaskSql, ExpressionsAreCastToTheColumnsType) {
  const MaskRule month = rule_of(R"({"type": "generalize", "step": "month"})");
  EXPECT_TRUE(ends_with(mask_expression(named("email"), kVarchar10, "\"c\"", KeyUse::kSessionKey),
                        ")::character varying(10)"));
  EXPECT_TRUE(ends_with(mask_expression(named("hash"), kEmailDomain, "\"c\"", KeyUse::kSessionKey),
                        ")::public.email_address"));
  EXPECT_TRUE(ends_with(mask_expression(named("noise"), kNumeric, "\"c\"", KeyUse::kSessionKey), ")::numeric(14,2)"));
  EXPECT_TRUE(ends_with(mask_expression(month, kDate, "d", KeyUse::kSessionKey), ")::date"));
  EXPECT_EQ(mask_expression(named("null"), kInt4, "\"c\"", KeyUse::kSessionKey), "(NULL)::integer");
  EXPECT_EQ(mask_expression(named("shuffle"), kJsonb, "m.\"c\"", KeyUse::kSessionKey), "(m.\"c\")::jsonb");
}

TEST(MaskSql, EmailNamePhonePartialKeepNull) {
  const std::string email = mask_expression(named("email"), kText, "e", KeyUse::kSessionKey);
  EXPECT_EQ(email,
            "(CASE WHEN (e) IS NULL THEN NULL WHEN pg_catalog.strpos((e)::pg_catalog.text, '@') > 0 THEN "
            "pg_catalog.left((e)::pg_catalog.text, 1) || '***@' || pg_catalog.split_part((e)::pg_catalog.text, '@', 2) "
            "ELSE '***' END)::text");
  EXPECT_EQ(mask_expression(named("name"), kText, "n", KeyUse::kNoKey),
            "(CASE WHEN (n) IS NULL THEN NULL ELSE 'XXXX' END)::text");
  EXPECT_EQ(mask_expression(named("phone"), kText, "p", KeyUse::kSessionKey),
            "(CASE WHEN (p) IS NULL THEN NULL WHEN pg_catalog.length((p)::pg_catalog.text) > 4 THEN '***-' || "
            "pg_catalog.right((p)::pg_catalog.text, 4) ELSE '****' END)::text");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "partial", "prefix": 2, "suffix": 3})"), kText, "x", KeyUse::kSessionKey),
            "(CASE WHEN (x) IS NULL THEN NULL WHEN pg_catalog.length((x)::pg_catalog.text) <= 5 THEN "
            "pg_catalog.repeat('*', pg_catalog.length((x)::pg_catalog.text)) ELSE pg_catalog.left((x)::pg_catalog.text, 2) "
            "|| '***' || pg_catalog.right((x)::pg_catalog.text, 3) END)::text");
}

TEST(MaskSql, HashIsKeyedHmacOnTheSourceAndMd5WithoutAKey) {
  const std::string keyed = mask_expression(named("hash"), kText, "\"c\"", KeyUse::kSessionKey);
  EXPECT_TRUE(contains(keyed, "pg_catalog.current_setting('pgclone_mask.inner')")) << keyed;
  EXPECT_TRUE(contains(keyed, "pg_catalog.current_setting('pgclone_mask.outer')")) << keyed;
  EXPECT_TRUE(contains(keyed, "pg_catalog.sha256(")) << keyed;
  EXPECT_TRUE(contains(keyed, "pg_catalog.convert_to((\"c\")::pg_catalog.text, 'UTF8')")) << keyed;
  EXPECT_TRUE(contains(keyed, "'hex'), 32)")) << keyed;  // 32 hex digits of the digest
  EXPECT_FALSE(contains(keyed, "md5")) << keyed;
  // The key is read once per statement (an uncorrelated subquery), not per row.
  EXPECT_TRUE(contains(keyed, "(SELECT pg_catalog.decode(pg_catalog.current_setting('pgclone_mask.outer'), 'hex'))"));
  EXPECT_EQ(mask_expression(named("hash"), kText, "\"c\"", KeyUse::kNoKey), "(pg_catalog.md5((\"c\")::pg_catalog.text))::text");
  EXPECT_EQ(mask_expression(named("hash"), kChar3, "c", KeyUse::kNoKey), "(pg_catalog.md5((c)::pg_catalog.text))::character(3)");
}

TEST(MaskSql, ConstantIsAQuotedLiteral) {
  EXPECT_EQ(mask_expression(named("constant"), kText, "c", KeyUse::kSessionKey), "('REDACTED')::text");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "constant", "value": "it's"})"), kText, "c", KeyUse::kSessionKey),
            "('it''s')::text");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "constant", "value": "a\\b'"})"), kText, "c", KeyUse::kSessionKey),
            "(E'a\\\\b''')::text");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "constant", "value": 42})"), kInt4, "c", KeyUse::kSessionKey),
            "('42')::integer");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "constant", "value": true})"), kBool, "c", KeyUse::kSessionKey),
            "('true')::boolean");
}

TEST(MaskSql, RandomIntDrawsWithinItsBounds) {
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "random_int", "min": -5, "max": 10})"), kInt4, "c", KeyUse::kSessionKey),
            "(CASE WHEN (c) IS NULL THEN NULL ELSE (-5::pg_catalog.numeric + pg_catalog.floor(pg_catalog.random() * "
            "(10::pg_catalog.numeric - -5 + 1))::pg_catalog.numeric) END)::integer");
  // The bounds of a bigint still make valid numeric text.
  const std::string wide = mask_expression(
      rule_of(R"({"type": "random_int", "min": -9223372036854775808, "max": 9223372036854775807})"), kInt8, "c",
      KeyUse::kSessionKey);
  EXPECT_TRUE(contains(wide, "(-9223372036854775808::pg_catalog.numeric + ")) << wide;
  EXPECT_TRUE(contains(wide, "(9223372036854775807::pg_catalog.numeric - -9223372036854775808 + 1)")) << wide;
  EXPECT_FALSE(contains(wide, "--")) << wide;  // never a comment
}

TEST(MaskSql, NoiseAndGeneralizeByType) {
  const std::string number = mask_expression(rule_of(R"({"type": "noise", "ratio": 0.5})"), kNumeric, "c", KeyUse::kSessionKey);
  EXPECT_EQ(number, "((c) * (1 + 0.5 * (2 * pg_catalog.random() - 1)))::numeric(14,2)");
  const std::string date = mask_expression(rule_of(R"({"type": "noise", "ratio": 0.5})"), kDate, "c", KeyUse::kSessionKey);
  EXPECT_EQ(date, "((c) + pg_catalog.round(365 * 0.5 * (2 * pg_catalog.random() - 1))::pg_catalog.int4)::date");
  const std::string ts = mask_expression(rule_of(R"({"type": "noise", "ratio": 2})"), kTimestamptz, "c", KeyUse::kSessionKey);
  EXPECT_EQ(ts, "((c) + (2 * (2 * pg_catalog.random() - 1)) * pg_catalog.interval '365 days')::timestamp with time zone");

  EXPECT_EQ(mask_expression(rule_of(R"({"type": "generalize", "step": "month"})"), kTimestamptz, "c", KeyUse::kNoKey),
            "(pg_catalog.date_trunc('month', c))::timestamp with time zone");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "generalize", "step": 100})"), kInt4, "c", KeyUse::kNoKey),
            "(pg_catalog.floor((c)::pg_catalog.numeric / 100) * 100)::integer");
  EXPECT_EQ(mask_expression(rule_of(R"({"type": "generalize", "step": 0.25})"), kNumeric, "c", KeyUse::kNoKey),
            "(pg_catalog.floor((c)::pg_catalog.numeric / 0.25) * 0.25)::numeric(14,2)");
}

TEST(MaskSql, PseudonymKeepsTheShapeOfEachType) {
  const std::string text = mask_expression(named("pseudonym"), kVarchar10, "c", KeyUse::kSessionKey);
  EXPECT_TRUE(contains(text, "pg_catalog.string_agg(")) << text;
  EXPECT_TRUE(contains(text, "pg_catalog.chr(48 + s.b % 10)")) << text;  // digits stay digits
  EXPECT_TRUE(contains(text, "pg_catalog.chr(65 + s.b % 26)")) << text;  // upper case stays upper case
  EXPECT_TRUE(contains(text, "pg_catalog.chr(97 + s.b % 26)")) << text;
  EXPECT_TRUE(contains(text, "pgclone_mask.inner")) << text;
  EXPECT_TRUE(ends_with(text, ")::character varying(10)")) << text;

  const std::string small = mask_expression(named("pseudonym"), kInt2, "c", KeyUse::kSessionKey);
  EXPECT_TRUE(contains(small, "LEAST(pg_catalog.power(10::pg_catalog.numeric, p.d) - 1, 32767)")) << small;
  EXPECT_TRUE(contains(small, "pg_catalog.sign(q.v)")) << small;
  EXPECT_TRUE(ends_with(small, ")::smallint")) << small;
  EXPECT_TRUE(contains(mask_expression(named("pseudonym"), kInt4, "c", KeyUse::kSessionKey), ", 2147483647)"));
  EXPECT_TRUE(contains(mask_expression(named("pseudonym"), kInt8, "c", KeyUse::kSessionKey), ", 9223372036854775807)"));

  const std::string date = mask_expression(named("pseudonym"), kDate, "c", KeyUse::kSessionKey);
  EXPECT_TRUE(contains(date, " % 731) - 365)::pg_catalog.int4")) << date;  // a year either way, in days
  const std::string ts = mask_expression(named("pseudonym"), kTimestamptz, "c", KeyUse::kSessionKey);
  EXPECT_TRUE(contains(ts, " % 63072001) - 31536000) * pg_catalog.interval '1 second'")) << ts;
}

TEST(MaskSql, MaskedLengthIsMeasuredBeforeTheCast) {
  EXPECT_EQ(masked_length_expression(named("email"), kVarchar10, "e", KeyUse::kSessionKey),
            "pg_catalog.length(CASE WHEN (e) IS NULL THEN NULL WHEN pg_catalog.strpos((e)::pg_catalog.text, '@') > 0 THEN "
            "pg_catalog.left((e)::pg_catalog.text, 1) || '***@' || pg_catalog.split_part((e)::pg_catalog.text, '@', 2) "
            "ELSE '***' END)");
}

}  // namespace
}  // namespace pgclone::protocol
