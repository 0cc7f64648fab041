// Cancelling calls on servers that ignore cancel requests: a cancel must end
// the call within about a second, never block the canceller, and leave alone
// a connection whose call was not (or no longer) running.
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <optional>
#include <thread>

#include "fake_pg_server.h"
#include "pg/connection.h"
#include "stopwatch.h"

using namespace pgclone::agent::pg;
using pgclone::agent::testing::FakePgServer;
using pgclone::agent::testing::Clock;
using pgclone::agent::testing::seconds_since;

namespace {

// Whether the connection's socket was shut down: a shut-down socket reads
// EOF at once, a live one to a silent server has nothing to read.
bool socket_shut_down(const Connection& connection) {
  pollfd pfd{PQsocket(connection.raw()), POLLIN, 0};
  return ::poll(&pfd, 1, 0) > 0;
}

}  // namespace

TEST(ConnectionCancel, EndsACallTheServerIgnoresWithinAboutASecond) {
  FakePgServer server({/*ask_password=*/false, /*answer_after=*/std::chrono::milliseconds(-1)});
  Connection connection = Connection::open(server.conninfo(), "source");
  std::optional<PgError> failure;
  Clock::time_point ended;
  std::thread owner([&] {
    try {
      connection.exec("SELECT 1");
    } catch (const PgError& e) {
      failure = e;
    }
    ended = Clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto cancelled = Clock::now();
  connection.cancel();  // its PQcancel waits forever on this server
  EXPECT_LT(seconds_since(cancelled), 0.05) << "cancel() blocked the canceller";
  owner.join();
  const double took = std::chrono::duration<double>(ended - cancelled).count();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->sqlstate, "08006");
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 1.5);
}

TEST(ConnectionCancel, LeavesAnIdleConnectionAlone) {
  FakePgServer server({false, std::chrono::milliseconds(-1)});
  Connection connection = Connection::open(server.conninfo(), "source");
  connection.cancel();
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_FALSE(socket_shut_down(connection));
  EXPECT_EQ(PQstatus(connection.raw()), CONNECTION_OK);
}

TEST(ConnectionCancel, LeavesAConnectionWhoseCallEndedInTime) {
  FakePgServer server({false, std::chrono::milliseconds(400)});
  Connection connection = Connection::open(server.conninfo(), "source");
  std::thread owner([&] { connection.exec(""); });  // answered after 400 ms, cancel or not
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  connection.cancel();
  owner.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_FALSE(socket_shut_down(connection));
  EXPECT_NO_THROW(connection.exec(""));  // the next call still works
}
