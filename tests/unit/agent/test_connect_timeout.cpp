#include <gtest/gtest.h>

#include "pg/connect_timeout.h"
#include "pg/pg_error.h"

using namespace pgclone::agent::pg;
using std::chrono::seconds;

TEST(ConnectTimeoutClamp, ZeroOrLessMeansTheDefault) {
  EXPECT_EQ(clamp_connect_timeout(0), seconds(10));
  EXPECT_EQ(clamp_connect_timeout(-5), seconds(10));
}

TEST(ConnectTimeoutClamp, StaysBetweenTwoSecondsAndAMinute) {
  EXPECT_EQ(clamp_connect_timeout(1), seconds(2));
  EXPECT_EQ(clamp_connect_timeout(2), seconds(2));
  EXPECT_EQ(clamp_connect_timeout(30), seconds(30));
  EXPECT_EQ(clamp_connect_timeout(60), seconds(60));
  EXPECT_EQ(clamp_connect_timeout(3600), seconds(60));
}

TEST(ConnectTimeoutOf, ReadsTheConnectionString) {
  EXPECT_EQ(connect_timeout_of("host=db1"), seconds(10));
  EXPECT_EQ(connect_timeout_of("app"), seconds(10));  // a bare database name
  EXPECT_EQ(connect_timeout_of("host=db1 connect_timeout=0"), seconds(10));
  EXPECT_EQ(connect_timeout_of("host=db1 connect_timeout=1"), seconds(2));
  EXPECT_EQ(connect_timeout_of("host=db1 connect_timeout=' 45 '"), seconds(45));
  EXPECT_EQ(connect_timeout_of("postgresql://db1/app?connect_timeout=90"), seconds(60));
  EXPECT_EQ(connect_timeout_of("postgresql://db1/app?connect_timeout=-1"), seconds(10));
}

TEST(ConnectTimeoutOf, RefusesWhatIsNotAnInteger) {
  for (const char* conninfo : {"host=db1 connect_timeout=abc", "host=db1 connect_timeout=5s",
                               "host=db1 connect_timeout=99999999999999999999"}) {
    try {
      connect_timeout_of(conninfo);
      ADD_FAILURE() << conninfo;
    } catch (const PgError& e) {
      EXPECT_EQ(e.sqlstate, "22023") << conninfo;
      EXPECT_NE(e.message.find("connect_timeout"), std::string::npos) << e.message;
    }
  }
}
