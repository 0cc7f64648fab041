// Schema dispositions are journaled as "disposition:<json>" so a resumed job
// knows what its predecessor moved aside, and which extensions go with it.
#include <gtest/gtest.h>

#include "clone/schema_conflict.h"

using namespace pgclone::agent::clone;

TEST(SchemaDisposition, RoundTripsWithTheExtensionsToRelocate) {
  SchemaDisposition d;
  d.name = "Lager \"Ω\" ü";
  d.moved_aside_as = "Lager \"Ω\" ü_replaced_7";
  d.drop_aside_after = true;
  d.relocated_extensions = {"citext", "hstore"};
  const std::string entry = encode_disposition(d);
  ASSERT_EQ(entry.rfind(kDispositionPrefix, 0), 0u);
  const SchemaDisposition back = decode_disposition(entry);
  EXPECT_EQ(back.name, d.name);
  EXPECT_TRUE(back.clone);
  EXPECT_TRUE(back.create);
  EXPECT_EQ(back.moved_aside_as, d.moved_aside_as);
  EXPECT_TRUE(back.drop_aside_after);
  EXPECT_EQ(back.relocated_extensions, (std::vector<std::string>{"citext", "hstore"}));
}

TEST(SchemaDisposition, JournalsWrittenBeforeRelocationDecodeWithoutExtensions) {
  const SchemaDisposition d = decode_disposition(
      std::string(kDispositionPrefix) +
      R"({"name":"public","clone":true,"create":true,"aside":"public_old","drop_aside":false})");
  EXPECT_EQ(d.name, "public");
  EXPECT_EQ(d.moved_aside_as, "public_old");
  EXPECT_FALSE(d.drop_aside_after);
  EXPECT_TRUE(d.relocated_extensions.empty());
}
