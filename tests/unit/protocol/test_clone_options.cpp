#include <gtest/gtest.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/limits.h"

namespace pgclone::protocol {
namespace {

OptionsError parse_error(std::string_view json, CloneScope scope = CloneScope::kTable) {
  try {
    parse_clone_options(json, scope);
  } catch (const OptionsError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an OptionsError for " << json;
  return OptionsError("", "", "");
}

TEST(CloneOptions, EmptyMeansDefaults) {
  for (const char* text : {"", "   ", "{}"}) {
    const CloneOptions options = parse_clone_options(text, CloneScope::kTable);
    EXPECT_TRUE(options.indexes);
    EXPECT_TRUE(options.constraints);
    EXPECT_TRUE(options.triggers);
    EXPECT_FALSE(options.columns.has_value());
    EXPECT_EQ(options.conflict, ConflictMode::kError);
    EXPECT_EQ(options.parallel, 1);
    EXPECT_TRUE(options.consistent);
    EXPECT_FALSE(options.maintenance_work_mem.has_value());
    EXPECT_EQ(options.privileges, PrivilegesMode::kSkipMissingRoles);
  }
}

TEST(CloneOptions, PrivilegesIsABooleanOrSkipMissingRoles) {
  EXPECT_EQ(parse_clone_options(R"({"privileges":true})", CloneScope::kTable).privileges, PrivilegesMode::kClone);
  EXPECT_EQ(parse_clone_options(R"({"privileges":false})", CloneScope::kSchema).privileges, PrivilegesMode::kNone);
  EXPECT_EQ(parse_clone_options(R"({"privileges":"skip_missing_roles"})", CloneScope::kDatabase).privileges,
            PrivilegesMode::kSkipMissingRoles);
  for (const char* text : {R"({"privileges":"yes"})", R"({"privileges":null})", R"({"privileges":1})"}) {
    const OptionsError e = parse_error(text);
    EXPECT_EQ(e.sqlstate, "22023") << text;
    EXPECT_EQ(e.key, "privileges") << text;
    EXPECT_STREQ(e.what(), "option \"privileges\" must be true, false or \"skip_missing_roles\"");
  }
}

TEST(CloneOptions, DependenciesIsABooleanForTableAndSchemaClones) {
  EXPECT_FALSE(parse_clone_options("{}", CloneScope::kTable).dependencies);
  EXPECT_TRUE(parse_clone_options(R"({"dependencies":true})", CloneScope::kTable).dependencies);
  EXPECT_TRUE(parse_clone_options(R"({"dependencies":true})", CloneScope::kSchema).dependencies);
  EXPECT_FALSE(parse_clone_options(R"({"dependencies":false})", CloneScope::kSchema).dependencies);
  try {
    parse_clone_options(R"({"dependencies":"yes"})", CloneScope::kTable);
    ADD_FAILURE() << "a string was accepted";
  } catch (const OptionsError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_EQ(e.key, "dependencies");
  }
  try {
    parse_clone_options(R"({"dependencies":true})", CloneScope::kDatabase);
    ADD_FAILURE() << "a database clone accepted it";
  } catch (const OptionsError& e) {
    EXPECT_EQ(e.sqlstate, "22023");
    EXPECT_STREQ(e.what(), "option \"dependencies\" only applies to table and schema clones");
  }
}

TEST(CloneOptions, OwnerIsCallerOrSource) {
  EXPECT_EQ(parse_clone_options("", CloneScope::kTable).owner, OwnerMode::kCaller);
  EXPECT_EQ(parse_clone_options(R"({"owner":"caller"})", CloneScope::kSchema).owner, OwnerMode::kCaller);
  EXPECT_EQ(parse_clone_options(R"({"owner":"source"})", CloneScope::kDatabase).owner, OwnerMode::kSource);
  EXPECT_EQ(parse_clone_options(R"({"owner":"source"})", CloneScope::kTable).owner, OwnerMode::kSource);
  for (const char* text : {R"({"owner":"nobody"})", R"({"owner":null})", R"({"owner":true})"}) {
    const OptionsError e = parse_error(text);
    EXPECT_EQ(e.sqlstate, "22023") << text;
    EXPECT_EQ(e.key, "owner") << text;
    EXPECT_STREQ(e.what(), "option \"owner\" must be \"caller\" or \"source\"");
  }
}

TEST(CloneOptions, ExcludeKindsNamesKindsAClonePassesOver) {
  EXPECT_TRUE(parse_clone_options("", CloneScope::kSchema).exclude_kinds.empty());
  EXPECT_EQ(parse_clone_options(R"({"exclude_kinds":["subscriptions","event_triggers"]})", CloneScope::kDatabase)
                .exclude_kinds,
            (std::vector<std::string>{"subscriptions", "event_triggers"}));
  EXPECT_EQ(parse_clone_options(R"({"exclude_kinds":["event_triggers"]})", CloneScope::kSchema).exclude_kinds,
            std::vector<std::string>{"event_triggers"});
  EXPECT_STREQ(parse_error(R"({"exclude_kinds":["indexes"]})", CloneScope::kSchema).what(),
               "option \"exclude_kinds\": unknown kind \"indexes\"");
  EXPECT_STREQ(parse_error(R"({"exclude_kinds":["subscriptions"]})", CloneScope::kSchema).what(),
               "option \"exclude_kinds\": \"subscriptions\" only applies to database clones");
  EXPECT_STREQ(parse_error(R"({"exclude_kinds":["event_triggers","event_triggers"]})", CloneScope::kDatabase).what(),
               "option \"exclude_kinds\" names \"event_triggers\" twice");
  const OptionsError e = parse_error(R"({"exclude_kinds":["event_triggers"]})", CloneScope::kTable);
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "exclude_kinds");
  EXPECT_STREQ(e.what(), "option \"exclude_kinds\": \"event_triggers\" only applies to schema and database clones");
  EXPECT_EQ(parse_clone_options(R"({"exclude_kinds":["tablespaces"]})", CloneScope::kTable).exclude_kinds,
            std::vector<std::string>{"tablespaces"});
  EXPECT_EQ(parse_error(R"({"exclude_kinds":"subscriptions"})", CloneScope::kDatabase).key, "exclude_kinds");
  for (const char* hostile : {R"({"exclude_kinds":[1]})", R"({"exclude_kinds":[null]})", R"({"exclude_kinds":[""]})",
                              R"({"exclude_kinds":[["tablespaces"]]})", R"({"exclude_kinds":["TABLESPACES"]})",
                              R"({"exclude_kinds":["tablespaces; DROP TABLE t"]})"}) {
    const OptionsError h = parse_error(hostile, CloneScope::kDatabase);
    EXPECT_EQ(h.sqlstate, "22023") << hostile;
    EXPECT_EQ(h.key, "exclude_kinds") << hostile;
  }
}

TEST(CloneOptions, MaintenanceWorkMemIsASizeOrNull) {
  EXPECT_EQ(*parse_clone_options(R"({"maintenance_work_mem":"512MB"})", CloneScope::kSchema).maintenance_work_mem,
            "512MB");
  EXPECT_EQ(*parse_clone_options(R"({"maintenance_work_mem":"2 GB"})", CloneScope::kTable).maintenance_work_mem,
            "2 GB");
  EXPECT_EQ(*parse_clone_options(R"({"maintenance_work_mem":"65536"})", CloneScope::kDatabase).maintenance_work_mem,
            "65536");
  // null: keep the server's setting
  EXPECT_EQ(*parse_clone_options(R"({"maintenance_work_mem":null})", CloneScope::kSchema).maintenance_work_mem, "");
}

TEST(CloneOptions, EveryTableKeyParses) {
  const CloneOptions options = parse_clone_options(
      R"({"indexes":false,"constraints":false,"triggers":false,"columns":["a","B c"],
          "where":"id > 10","conflict":"rename","parallel":4,"consistent":false})",
      CloneScope::kTable);
  EXPECT_FALSE(options.indexes);
  EXPECT_FALSE(options.constraints);
  EXPECT_FALSE(options.triggers);
  ASSERT_TRUE(options.columns.has_value());
  EXPECT_EQ(*options.columns, (std::vector<std::string>{"a", "B c"}));
  EXPECT_EQ(*options.where, "id > 10");
  EXPECT_EQ(options.conflict, ConflictMode::kRename);
  EXPECT_EQ(options.parallel, 4);
  EXPECT_FALSE(options.consistent);
}

TEST(CloneOptions, SchemaKeysParseForSchemaScope) {
  const CloneOptions options = parse_clone_options(
      R"({"tables":["orders.*"],"exclude_tables":["tmp_.*"],"matviews":false})", CloneScope::kSchema);
  EXPECT_EQ(options.tables, std::vector<std::string>{"orders.*"});
  EXPECT_EQ(options.exclude_tables, std::vector<std::string>{"tmp_.*"});
  EXPECT_FALSE(options.matviews);
}

TEST(CloneOptions, UnknownKeyIsNamed) {
  const OptionsError e = parse_error(R"({"indexs":false})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "indexs");
  EXPECT_STREQ(e.what(), "unknown option \"indexs\"");
}

TEST(CloneOptions, WrongTypesAreNamed) {
  struct Case {
    const char* json;
    const char* key;
  } cases[] = {
      {R"({"indexes":"yes"})", "indexes"},       {R"({"triggers":1})", "triggers"},
      {R"({"columns":"a"})", "columns"},         {R"({"columns":[1]})", "columns"},
      {R"({"columns":[]})", "columns"},          {R"({"where":5})", "where"},
      {R"({"where":"  "})", "where"},            {R"({"conflict":"merge"})", "conflict"},
      {R"({"conflict":true})", "conflict"},      {R"({"parallel":0})", "parallel"},
      {R"({"parallel":1.5})", "parallel"},       {R"({"parallel":"2"})", "parallel"},
      {R"({"parallel":1000})", "parallel"},      {R"({"consistent":null})", "consistent"},
      {R"({"maintenance_work_mem":512})", "maintenance_work_mem"},
      {R"({"maintenance_work_mem":"lots"})", "maintenance_work_mem"},
      {R"({"maintenance_work_mem":"1GB; DROP TABLE t"})", "maintenance_work_mem"},
      {R"({"maintenance_work_mem":"-1MB"})", "maintenance_work_mem"},
      {R"({"maintenance_work_mem":""})", "maintenance_work_mem"},
  };
  for (const Case& c : cases) {
    const OptionsError e = parse_error(c.json);
    EXPECT_EQ(e.sqlstate, "22023") << c.json;
    EXPECT_EQ(e.key, c.key) << c.json;
    EXPECT_NE(std::string(e.what()).find(std::string("\"") + c.key + "\""), std::string::npos) << e.what();
  }
}

TEST(CloneOptions, MalformedJson) {
  for (const char* text : {"{", "{\"indexes\":}", "[1,2]", "\"text\"", "nonsense", "{\"a\":1,}"}) {
    const OptionsError e = parse_error(text);
    EXPECT_EQ(e.sqlstate, "22023") << text;
    EXPECT_EQ(std::string(e.what()).rfind("invalid options JSON", 0), 0u) << e.what();
  }
}

TEST(CloneOptions, ScopeMismatchIsAnError) {
  EXPECT_EQ(parse_error(R"({"tables":["a"]})", CloneScope::kTable).key, "tables");
  EXPECT_EQ(parse_error(R"({"matviews":true})", CloneScope::kTable).key, "matviews");
  EXPECT_EQ(parse_error(R"({"where":"true"})", CloneScope::kSchema).key, "where");
  EXPECT_EQ(parse_error(R"({"columns":["a"]})", CloneScope::kDatabase).key, "columns");
}

TEST(CloneOptions, InvalidRegexIsNamed) {
  const OptionsError e = parse_error(R"({"exclude_tables":["(unclosed"]})", CloneScope::kSchema);
  EXPECT_EQ(e.key, "exclude_tables");
  EXPECT_EQ(e.sqlstate, "22023");
}

TEST(CloneOptions, PatternsUseRe2Syntax) {
  const CloneOptions options = parse_clone_options(
      R"({"tables":["(?i)ORDERS_\\d+", "\\pL+"], "exclude_tables":["[[:alpha:]]+_tmp"]})", CloneScope::kDatabase);
  EXPECT_EQ(options.tables, (std::vector<std::string>{"(?i)ORDERS_\\d+", "\\pL+"}));
  const OptionsError e = parse_error(R"({"tables":["x", "(?<=a)b"]})", CloneScope::kSchema);
  EXPECT_EQ(e.key, "tables");
  EXPECT_NE(std::string(e.what()).find("pattern 2"), std::string::npos) << e.what();
}

TEST(CloneOptions, TooLongTextIsRefusedBeforeParsing) {
  // Well-formed but for its length: only the length can be the reason.
  const std::string padded = "{" + std::string(70 * 1024, ' ') + "}";
  const OptionsError e = parse_error(padded);
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.key, "");
  EXPECT_STREQ(e.what(), "options are too long");
  EXPECT_EQ(e.detail, "The options text has 71682 bytes; at most 65536 are allowed.");
  // Not parsed: trailing garbage past the limit would otherwise be the error.
  EXPECT_STREQ(parse_error(padded + "nonsense").what(), "options are too long");
}

std::string nested_arrays(int depth) {
  return R"({"tables": )" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

TEST(CloneOptions, DeepNestingIsRefused) {
  for (int depth : {kMaxOptionsDepth + 1, 200, 30000}) {
    const OptionsError e = parse_error(nested_arrays(depth), CloneScope::kSchema);
    EXPECT_EQ(e.sqlstate, "22023") << depth;
    EXPECT_STREQ(e.what(), "options are nested too deeply") << depth;
    EXPECT_EQ(e.detail, "Arrays and objects may nest at most 32 levels deep.");
  }
  // At the limit the depth is fine; the value is what is wrong.
  EXPECT_STREQ(parse_error(nested_arrays(kMaxOptionsDepth), CloneScope::kSchema).what(),
               "option \"tables\" must be an array of strings");
}

TEST(CloneOptions, MaskBelongsToTableClonesAndMasksToTheOthers) {
  EXPECT_EQ(parse_clone_options(R"({"mask":{"email":"email"}})", CloneScope::kTable).mask.size(), 1u);
  EXPECT_EQ(parse_clone_options(R"({"masks":{"s.t":{"email":"hash"}}})", CloneScope::kSchema).masks.tables.size(), 1u);
  EXPECT_EQ(parse_error(R"({"mask":{"email":"email"}})", CloneScope::kSchema).key, "mask");
  EXPECT_EQ(parse_error(R"({"masks":{"t":{"email":"email"}}})", CloneScope::kTable).key, "masks");
  const OptionsError e = parse_error(R"({"mask":{"email":"emial"}})");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_STREQ(e.what(), "option \"mask\": column \"email\": unknown mask strategy \"emial\"");
}

TEST(CloneOptions, ConflictNames) {
  EXPECT_STREQ(conflict_mode_name(ConflictMode::kSkip), "skip");
  EXPECT_STREQ(conflict_mode_name(ConflictMode::kReplace), "replace");
}

TEST(CloneOptions, LockTimeoutIsADuration) {
  const auto ms = [](const char* json) { return parse_clone_options(json, CloneScope::kSchema).lock_timeout_ms; };
  EXPECT_FALSE(ms("{}").has_value());
  EXPECT_EQ(*ms(R"({"lock_timeout": 1500})"), 1500);
  EXPECT_EQ(*ms(R"({"lock_timeout": "500ms"})"), 500);
  EXPECT_EQ(*ms(R"({"lock_timeout": "5s"})"), 5000);
  EXPECT_EQ(*ms(R"({"lock_timeout": "2min"})"), 120000);
  EXPECT_EQ(*ms(R"({"lock_timeout": 0})"), 0);
  for (const char* bad : {R"({"lock_timeout": -1})", R"({"lock_timeout": "5 parsecs"})", R"({"lock_timeout": true})",
                          R"({"lock_timeout": "25h"})", R"({"lock_timeout": 1.5})"}) {
    try {
      parse_clone_options(bad, CloneScope::kTable);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const OptionsError& e) {
      EXPECT_EQ(e.sqlstate, "22023");
      EXPECT_EQ(e.key, "lock_timeout");
    }
  }
}

}  // namespace
}  // namespace pgclone::protocol
