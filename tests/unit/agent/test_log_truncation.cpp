#include <gtest/gtest.h>

#include <string>

#include "util/log.h"

using pgclone::agent::log::kMaxMessageBytes;
using pgclone::agent::log::truncate_message;

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

TEST(LogTruncation, ShortMessagesPassUnchanged) {
  EXPECT_EQ(truncate_message("job 7: connected"), "job 7: connected");
  const std::string exact(kMaxMessageBytes, 'x');
  EXPECT_EQ(truncate_message(exact), exact);
}

TEST(LogTruncation, LongMessagesAreCutWithTheCountOfDroppedBytes) {
  const std::string message = "start:" + std::string(10000, 'a');
  const std::string out = truncate_message(message);
  EXPECT_LE(out.size(), kMaxMessageBytes);
  EXPECT_EQ(out.compare(0, 6, "start:"), 0);
  const std::size_t kept = out.find(" ... [");
  ASSERT_NE(kept, std::string::npos) << out.substr(out.size() - 60);
  EXPECT_EQ(out.substr(0, kept), message.substr(0, kept));
  EXPECT_TRUE(ends_with(out, "[" + std::to_string(message.size() - kept) + " bytes dropped]"))
      << out.substr(out.size() - 60);
}

TEST(LogTruncation, NeverSplitsAUtf8Character) {
  std::string message;
  while (message.size() < 2 * kMaxMessageBytes) message += "\xC3\xA9";  // é
  for (std::size_t limit : {kMaxMessageBytes, kMaxMessageBytes - 1, std::size_t{64}, std::size_t{65}}) {
    const std::string out = truncate_message(message, limit);
    const std::size_t kept = out.find(" ... [");
    ASSERT_NE(kept, std::string::npos);
    EXPECT_EQ(kept % 2, 0u) << "cut inside a character at limit " << limit;
    EXPECT_LE(out.size(), limit);
  }
}
