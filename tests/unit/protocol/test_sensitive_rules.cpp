#include <gtest/gtest.h>

#include <string>

#include "pgclone/protocol/sensitive_rules.h"

namespace pgclone::protocol {
namespace {

std::string kind_of(const char* name) {
  const auto kind = sensitive_kind_of_name(name);
  return kind ? sensitive_kind_name(*kind) : "-";
}

TEST(SensitiveNames, WordsOfEveryNamingStyle) {
  EXPECT_EQ(kind_of("email"), "email");
  EXPECT_EQ(kind_of("customer_email"), "email");
  EXPECT_EQ(kind_of("EmailAddress"), "email");
  EXPECT_EQ(kind_of("e_mail"), "email");
  EXPECT_EQ(kind_of("phone"), "phone");
  EXPECT_EQ(kind_of("mobile_no"), "phone");
  EXPECT_EQ(kind_of("fax"), "phone");
  EXPECT_EQ(kind_of("tel"), "phone");
  EXPECT_EQ(kind_of("full_name"), "person_name");
  EXPECT_EQ(kind_of("firstName"), "person_name");
  EXPECT_EQ(kind_of("surname"), "person_name");
  EXPECT_EQ(kind_of("name"), "person_name");
  EXPECT_EQ(kind_of("ssn"), "national_id");
  EXPECT_EQ(kind_of("national_id"), "national_id");
  EXPECT_EQ(kind_of("passport_number"), "national_id");
  EXPECT_EQ(kind_of("tax_id"), "national_id");
  EXPECT_EQ(kind_of("salary"), "money");
  EXPECT_EQ(kind_of("annual_income"), "money");
  EXPECT_EQ(kind_of("credit_card"), "card_number");
  EXPECT_EQ(kind_of("cc_number"), "card_number");
  EXPECT_EQ(kind_of("iban"), "card_number");
  EXPECT_EQ(kind_of("account_number"), "card_number");
  EXPECT_EQ(kind_of("ip"), "ip_address");
  EXPECT_EQ(kind_of("IPAddress"), "ip_address");
  EXPECT_EQ(kind_of("client_ip"), "ip_address");
  EXPECT_EQ(kind_of("date_of_birth"), "birth_date");
  EXPECT_EQ(kind_of("dob"), "birth_date");
  EXPECT_EQ(kind_of("street"), "address");
  EXPECT_EQ(kind_of("zip"), "address");
  EXPECT_EQ(kind_of("postcode"), "address");
  EXPECT_EQ(kind_of("password_hash"), "secret");
  EXPECT_EQ(kind_of("api_key"), "secret");
  EXPECT_EQ(kind_of("reset_token"), "secret");
}

TEST(SensitiveNames, WordsOfTwoKindsGoToTheSpecificOne) {
  EXPECT_EQ(kind_of("email_address"), "email");
  EXPECT_EQ(kind_of("ip_address"), "ip_address");
  EXPECT_EQ(kind_of("card_holder_name"), "person_name");
}

TEST(SensitiveNames, PartsOfOtherWordsDoNotCount) {
  EXPECT_EQ(kind_of("hotel"), "-");
  EXPECT_EQ(kind_of("zipper"), "-");
  EXPECT_EQ(kind_of("notes"), "-");
  EXPECT_EQ(kind_of("id"), "-");
  EXPECT_EQ(kind_of("ref"), "-");
  EXPECT_EQ(kind_of("contact"), "-");
  EXPECT_EQ(kind_of("product_name"), "-");
  EXPECT_EQ(kind_of("card_type"), "-");
  EXPECT_EQ(kind_of("skip"), "-");
  EXPECT_EQ(kind_of(""), "-");
  EXPECT_EQ(kind_of("___"), "-");
}

TEST(SensitiveValues, Email) {
  EXPECT_TRUE(looks_like_email("alice@example.com"));
  EXPECT_TRUE(looks_like_email("first.last+tag@mail.example.co.uk"));
  EXPECT_FALSE(looks_like_email("alice@localhost"));
  EXPECT_FALSE(looks_like_email("write to alice@example.com"));
  EXPECT_FALSE(looks_like_email("@example.com"));
  EXPECT_FALSE(looks_like_email("alice@@example.com"));
}

TEST(SensitiveValues, Phone) {
  EXPECT_TRUE(looks_like_phone("+1-555-123-4567"));
  EXPECT_TRUE(looks_like_phone("(555) 123-4567"));
  EXPECT_TRUE(looks_like_phone("+44 20 7946 0958"));
  EXPECT_TRUE(looks_like_phone("5551234567"));
  EXPECT_FALSE(looks_like_phone("1234567"));         // bare and short: a number
  EXPECT_FALSE(looks_like_phone("2024-01-15"));      // a date
  EXPECT_FALSE(looks_like_phone("12345.67"));        // a decimal
  EXPECT_FALSE(looks_like_phone("192.168.100.200"));  // an IPv4 address
  EXPECT_FALSE(looks_like_phone("1234567890123456"));  // 16 digits
  EXPECT_FALSE(looks_like_phone("555-CALL-NOW"));
  EXPECT_FALSE(looks_like_phone("(555 123-4567"));
}

TEST(SensitiveValues, Luhn) {
  EXPECT_TRUE(passes_luhn("4111111111111111"));
  EXPECT_TRUE(passes_luhn("79927398713"));
  EXPECT_FALSE(passes_luhn("4111111111111112"));
  EXPECT_FALSE(passes_luhn("79927398710"));
  EXPECT_FALSE(passes_luhn(""));
  EXPECT_FALSE(passes_luhn("4111 1111"));
}

TEST(SensitiveValues, CardNumber) {
  EXPECT_TRUE(looks_like_card_number("4111111111111111"));
  EXPECT_TRUE(looks_like_card_number("4111 1111 1111 1111"));
  EXPECT_TRUE(looks_like_card_number("5500-0000-0000-0004"));
  EXPECT_TRUE(looks_like_card_number("378282246310005"));  // 15 digits
  EXPECT_FALSE(looks_like_card_number("4111111111111112"));  // Luhn fails
  EXPECT_FALSE(looks_like_card_number("79927398713"));       // too short for a card
  EXPECT_FALSE(looks_like_card_number("0000000000000000"));
  EXPECT_FALSE(looks_like_card_number("4111.1111.1111.1111"));
}

TEST(SensitiveValues, NationalId) {
  EXPECT_TRUE(looks_like_national_id("123-45-6789"));
  EXPECT_TRUE(looks_like_national_id("AB123456C"));
  EXPECT_TRUE(looks_like_national_id("AB 12 34 56 C"));
  EXPECT_FALSE(looks_like_national_id("000-12-3456"));
  EXPECT_FALSE(looks_like_national_id("666-12-3456"));
  EXPECT_FALSE(looks_like_national_id("923-12-3456"));
  EXPECT_FALSE(looks_like_national_id("123-00-6789"));
  EXPECT_FALSE(looks_like_national_id("123456789"));
}

TEST(SensitiveValues, IpAddress) {
  EXPECT_TRUE(looks_like_ip_address("192.168.1.10"));
  EXPECT_TRUE(looks_like_ip_address("10.0.0.0/8"));
  EXPECT_TRUE(looks_like_ip_address("2001:db8::1"));
  EXPECT_TRUE(looks_like_ip_address("::1"));
  EXPECT_FALSE(looks_like_ip_address("256.1.1.1"));
  EXPECT_FALSE(looks_like_ip_address("1.2.3"));
  EXPECT_FALSE(looks_like_ip_address("10.0.0.0/"));
  EXPECT_FALSE(looks_like_ip_address("hello"));
}

TEST(SensitiveValues, PersonName) {
  EXPECT_TRUE(looks_like_person_name("Ada Lovelace"));
  EXPECT_TRUE(looks_like_person_name("Mary Anne O'Brien"));
  EXPECT_TRUE(looks_like_person_name("Ronald McDonald"));
  EXPECT_TRUE(looks_like_person_name("Jean-Luc Picard"));
  EXPECT_TRUE(looks_like_person_name("Émile Zola"));
  EXPECT_FALSE(looks_like_person_name("Ada"));
  EXPECT_FALSE(looks_like_person_name("Call back on Monday"));
  EXPECT_FALSE(looks_like_person_name("ada lovelace"));
  EXPECT_FALSE(looks_like_person_name("ADA LOVELACE"));
  EXPECT_FALSE(looks_like_person_name("One Two Three Four"));
}

TEST(ValueTally, ClearMajorityDecides) {
  ValueTally tally;
  for (int i = 0; i < 8; ++i) tally.add("user" + std::to_string(i) + "@example.com");
  tally.add("n/a");
  tally.add("unknown");
  EXPECT_EQ(tally.values(), 10u);
  ASSERT_TRUE(tally.majority().has_value());
  EXPECT_EQ(*tally.majority(), SensitiveKind::kEmail);
  tally.add("none");  // 8 of 11 is below 80 %
  EXPECT_FALSE(tally.majority().has_value());
}

TEST(ValueTally, MostSpecificShapeWins) {
  ValueTally cards;  // 15-digit Luhn numbers are phone-shaped too
  cards.add("378282246310005");
  cards.add("371449635398431");
  EXPECT_EQ(*cards.majority(), SensitiveKind::kCardNumber);
  ValueTally ssns;  // so are SSNs
  ssns.add("123-45-6789");
  EXPECT_EQ(*ssns.majority(), SensitiveKind::kNationalId);
  ValueTally ips;
  ips.add("192.168.1.10");
  EXPECT_EQ(*ips.majority(), SensitiveKind::kIpAddress);
}

TEST(ValueTally, NothingWithoutValuesOrShape) {
  ValueTally empty;
  EXPECT_FALSE(empty.majority().has_value());
  ValueTally text;
  text.add("Call back on Monday");
  text.add("prefers e-mail");
  EXPECT_FALSE(text.majority().has_value());
  ValueTally not_luhn;  // 16-digit numbers failing Luhn: neither cards nor phones
  not_luhn.add("4111111111111112");
  not_luhn.add("1234567812345678");
  EXPECT_FALSE(not_luhn.majority().has_value());
}

MaskColumn text_column(int char_limit = -1, bool not_null = false) {
  MaskColumn c;
  c.name = "c";
  c.type = char_limit < 0 ? "text" : "character varying(" + std::to_string(char_limit) + ")";
  c.category = 'S';
  c.base_type = char_limit < 0 ? "text" : "varchar";
  c.char_limit = char_limit;
  c.not_null = not_null;
  return c;
}

MaskColumn typed_column(const char* type, const char* base_type, char category, bool not_null = false) {
  MaskColumn c;
  c.name = "c";
  c.type = type;
  c.base_type = base_type;
  c.category = category;
  c.not_null = not_null;
  return c;
}

SensitiveColumn of(const MaskColumn& column) {
  SensitiveColumn out;
  out.column = column;
  return out;
}

std::string recommended(SensitiveKind kind, const SensitiveColumn& column, KeyUse key = KeyUse::kSessionKey,
                        const DataCheck& check = {}) {
  const auto rule = recommend_mask(kind, column, key, check);
  return rule ? mask_rule_json(*rule) : "-";
}

TEST(RecommendMask, EachKindItsOwnStrategy) {
  const SensitiveColumn text = of(text_column());
  EXPECT_EQ(recommended(SensitiveKind::kEmail, text), "\"email\"");
  EXPECT_EQ(recommended(SensitiveKind::kPhone, text), "\"phone\"");
  EXPECT_EQ(recommended(SensitiveKind::kPersonName, text), "\"name\"");
  EXPECT_EQ(recommended(SensitiveKind::kNationalId, text), R"({"prefix":0,"suffix":4,"type":"partial"})");
  EXPECT_EQ(recommended(SensitiveKind::kCardNumber, text), R"({"prefix":0,"suffix":4,"type":"partial"})");
  EXPECT_EQ(recommended(SensitiveKind::kSecret, text), "\"null\"");
  EXPECT_EQ(recommended(SensitiveKind::kIpAddress, text), "\"hash\"");
  EXPECT_EQ(recommended(SensitiveKind::kMoney, of(typed_column("numeric(10,2)", "numeric", 'N'))),
            R"({"ratio":0.1,"type":"noise"})");
  EXPECT_EQ(recommended(SensitiveKind::kBirthDate, of(typed_column("date", "date", 'D'))),
            R"({"step":"year","type":"generalize"})");
  EXPECT_EQ(recommended(SensitiveKind::kIpAddress, of(typed_column("inet", "inet", 'I'))), "\"null\"");
  EXPECT_EQ(recommended(SensitiveKind::kIpAddress, of(typed_column("inet", "inet", 'I', true))),
            R"({"type":"constant","value":"0.0.0.0"})");
}

TEST(RecommendMask, FallsBackToWhatTheColumnHolds) {
  // "name" writes 4 characters, "hash" 32: a varchar(3) keeps its length with a pseudonym.
  EXPECT_EQ(recommended(SensitiveKind::kPersonName, of(text_column(3))), "\"pseudonym\"");
  // ... which the target database cannot compute; NULL is left.
  EXPECT_EQ(recommended(SensitiveKind::kPersonName, of(text_column(3)), KeyUse::kNoKey), "\"null\"");
  EXPECT_EQ(recommended(SensitiveKind::kPersonName, of(text_column(3, true)), KeyUse::kNoKey), "-");
  // Salary kept as text: hashed.
  EXPECT_EQ(recommended(SensitiveKind::kMoney, of(text_column())), "\"hash\"");
  // A NOT NULL password: hashed rather than NULL.
  EXPECT_EQ(recommended(SensitiveKind::kSecret, of(text_column(-1, true))), "\"hash\"");
  // A phone number stored as bigint keeps its digits' count.
  EXPECT_EQ(recommended(SensitiveKind::kPhone, of(typed_column("bigint", "int8", 'N'))),
            "\"pseudonym\"");
}

TEST(RecommendMask, DataCheckCanRefuseACandidate) {
  const SensitiveColumn column = of(text_column(40));
  const DataCheck no_email = [](const MaskRule& r) { return r.strategy != MaskStrategy::kEmail; };
  EXPECT_EQ(recommended(SensitiveKind::kEmail, column, KeyUse::kSessionKey, no_email), "\"hash\"");
}

TEST(RecommendMask, KeysGetOnlyADistinctDeterministicMask) {
  SensitiveColumn key = of(text_column());
  key.unique_key = true;
  EXPECT_EQ(recommended(SensitiveKind::kEmail, key), "\"hash\"");
  key.column = text_column(20);  // hash does not fit, and nothing else keeps a key
  EXPECT_EQ(recommended(SensitiveKind::kEmail, key), "-");
  SensitiveColumn referenced = of(text_column());  // referenced by a varchar(20) foreign key
  referenced.referencing.push_back(text_column(20));
  EXPECT_EQ(recommended(SensitiveKind::kEmail, referenced), "-");
  referenced.referencing = {text_column(64)};
  EXPECT_EQ(recommended(SensitiveKind::kEmail, referenced), "\"hash\"");
}

TEST(RecommendMask, ForeignKeyAndGeneratedColumnsAreLeftOut) {
  SensitiveColumn fk = of(text_column());
  fk.foreign_key = true;
  EXPECT_EQ(recommended(SensitiveKind::kEmail, fk), "-");
  SensitiveColumn generated = of(text_column());
  generated.generated = true;
  EXPECT_EQ(recommended(SensitiveKind::kEmail, generated), "-");
}

// Every recommendation is a rule the "masks" option parses back to itself.
TEST(RecommendMask, JsonParsesBackAsMasks) {
  const SensitiveKind kinds[] = {SensitiveKind::kEmail,      SensitiveKind::kPhone,      SensitiveKind::kPersonName,
                                 SensitiveKind::kNationalId, SensitiveKind::kCardNumber, SensitiveKind::kMoney,
                                 SensitiveKind::kIpAddress,  SensitiveKind::kBirthDate,  SensitiveKind::kAddress,
                                 SensitiveKind::kSecret};
  const MaskColumn columns[] = {text_column(), typed_column("numeric", "numeric", 'N'),
                                typed_column("date", "date", 'D'), typed_column("inet", "inet", 'I', true)};
  for (SensitiveKind kind : kinds) {
    for (const MaskColumn& column : columns) {
      const auto rule = recommend_mask(kind, of(column), KeyUse::kSessionKey);
      if (!rule) continue;
      const std::string text = "{\"c\": " + mask_rule_json(*rule) + "}";
      const ColumnMasks parsed = parse_column_masks(text, "masks");
      EXPECT_EQ(parsed.at("c"), *rule) << text;
    }
  }
}

}  // namespace
}  // namespace pgclone::protocol
