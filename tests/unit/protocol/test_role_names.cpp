#include <gtest/gtest.h>

#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/role_names.h"

namespace pgclone::protocol {
namespace {

TEST(RoleNames, SplitsTrimsAndKeepsCase) {
  EXPECT_EQ(parse_role_names(" alice ,Bob,alice"), (std::vector<std::string>{"alice", "Bob"}));
  EXPECT_EQ(parse_role_names("\"a,b\", \"say \"\"hi\"\"\""), (std::vector<std::string>{"a,b", "say \"hi\""}));
  EXPECT_EQ(parse_role_names("cr Mixed"), (std::vector<std::string>{"cr Mixed"}));
  EXPECT_TRUE(parse_role_names("  ").empty());
}

TEST(RoleNames, RejectsMalformedLists) {
  for (const char* bad : {"a,,b", "a,", ",a", "\"open", "\"a\"b"}) {
    try {
      parse_role_names(bad);
      ADD_FAILURE() << bad;
    } catch (const OptionsError& e) {
      EXPECT_EQ(e.sqlstate, "22023") << bad;
    }
  }
  try {
    parse_role_names(std::string(64, 'x'));
    ADD_FAILURE();
  } catch (const OptionsError& e) {
    EXPECT_EQ(e.sqlstate, "42622");
  }
}

}  // namespace
}  // namespace pgclone::protocol
