// Connecting to a server that never answers: the agent gives up on its own
// schedule (whatever connect_timeout says) or as soon as its caller stops.
#include <gtest/gtest.h>

#include <chrono>

#include "pg/connection.h"
#include "silent_listener.h"
#include "stopwatch.h"

using namespace pgclone::agent::pg;
using pgclone::agent::testing::SilentListener;
using pgclone::agent::testing::Clock;
using pgclone::agent::testing::seconds_since;

TEST(ConnectAttempt, SilentServerGivesUpAfterTheClampedTimeout) {
  SilentListener silent;
  const auto start = Clock::now();
  try {
    Connection::open(silent.conninfo("connect_timeout=1"), "source");
    FAIL() << "connected to a server that never answers";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate, "08001");
    EXPECT_EQ(e.message, "could not connect to source server: timeout expired after 2 s");
  }
  const double took = seconds_since(start);
  EXPECT_GE(took, 1.9);
  EXPECT_LT(took, 2.5);
}

TEST(ConnectAttempt, StopCallbackEndsTheAttempt) {
  SilentListener silent;
  const auto start = Clock::now();
  auto stop = [&] {
    if (Clock::now() - start >= std::chrono::milliseconds(300)) throw PgError("57014", "job was cancelled");
  };
  try {
    Connection::open(silent.conninfo("connect_timeout=0"), "source", stop);
    FAIL() << "connected to a server that never answers";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate, "57014");  // the callback's own error, untouched
  }
  const double took = seconds_since(start);
  EXPECT_GE(took, 0.3);
  EXPECT_LT(took, 0.45);  // the callback is asked every 100 ms at the most
}

TEST(ConnectAttempt, StopCallbackIsAskedBeforeConnecting) {
  int asked = 0;
  auto stop = [&] {
    ++asked;
    throw PgError("57014", "job was cancelled");
  };
  // Nothing needs to listen: the stop comes first.
  EXPECT_THROW(Connection::open("host=127.0.0.1 port=1 dbname=d", "source", stop), PgError);
  EXPECT_EQ(asked, 1);
}
