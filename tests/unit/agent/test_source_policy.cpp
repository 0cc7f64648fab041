// Source connections of callers who are not superusers (dblink's rules).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fake_pg_server.h"
#include "pg/connection.h"
#include "pg/pg_error.h"
#include "pg/source_policy.h"

using namespace pgclone::agent::pg;
using pgclone::agent::testing::FakePgServer;

namespace {

// The error check_source_conninfo raises, or an empty one when it accepts.
PgError refusal(const std::string& conninfo) {
  try {
    check_source_conninfo(conninfo);
  } catch (const PgError& e) {
    return e;
  }
  return PgError("", "");
}

}  // namespace

TEST(SourcePolicy, AcceptsPasswordInKeywordForm) {
  EXPECT_NO_THROW(check_source_conninfo("host=db1.example port=5432 dbname=app user=alice password=s3cret"));
  EXPECT_NO_THROW(check_source_conninfo("hostaddr=10.0.0.7 dbname=app user=alice password='se cret'"));
  EXPECT_NO_THROW(check_source_conninfo("host=db1,db2 port=5432,5433 user=alice password=s3cret"));
  EXPECT_NO_THROW(check_source_conninfo("host=db1,db2 hostaddr=10.0.0.1,10.0.0.2 password=s3cret"));
  // An empty host name next to an address is a TCP connection to that address.
  EXPECT_NO_THROW(check_source_conninfo("host=,db2 hostaddr=10.0.0.1, password=s3cret"));
}

TEST(SourcePolicy, AcceptsPasswordInUriForm) {
  EXPECT_NO_THROW(check_source_conninfo("postgresql://alice:s3cret@db1.example:5432/app"));
  EXPECT_NO_THROW(check_source_conninfo("postgres://alice@db1.example/app?password=s3cret&sslmode=require"));
  EXPECT_NO_THROW(check_source_conninfo("postgresql://alice:s3cret@db1,db2:5433/app"));
}

TEST(SourcePolicy, RefusesMissingPassword) {
  for (const std::string conninfo :
       {"host=db1.example dbname=app user=alice", "host=db1.example password=''",
        "postgresql://alice@db1.example/app", "postgresql://alice:@db1.example/app", "app"}) {
    const PgError e = refusal(conninfo);
    EXPECT_EQ(e.sqlstate, "2F003") << conninfo;
    EXPECT_EQ(e.message, "password is required") << conninfo;
    EXPECT_EQ(e.detail, "Non-superusers must provide a password in the connection string.") << conninfo;
  }
}

TEST(SourcePolicy, RefusesEveryOptionThatLendsTheAgentsFilesOrIdentity) {
  for (const std::string keyword : {"passfile", "service", "sslkey", "sslcert", "sslrootcert", "sslcrl",
                                    "sslcrldir", "sslpassword", "krbsrvname", "gsslib", "requirepeer"}) {
    const PgError e = refusal("host=db1.example password=s3cret " + keyword + "=x");
    EXPECT_EQ(e.sqlstate, "42501") << keyword;
    EXPECT_EQ(e.message, "connection option \"" + keyword + "\" is not allowed for non-superusers");
    EXPECT_NE(e.hint.find("superuser"), std::string::npos) << e.hint;
    // In URI form too, and even with an empty value.
    EXPECT_EQ(refusal("postgresql://alice:s3cret@db1.example/app?" + keyword + "=x").sqlstate, "42501") << keyword;
    EXPECT_EQ(refusal("host=db1.example password=s3cret " + keyword + "=''").sqlstate, "42501") << keyword;
  }
}

TEST(SourcePolicy, RefusedOptionIsNamedBeforeTheMissingPassword) {
  const PgError e = refusal("host=db1.example passfile=/root/.pgpass");
  EXPECT_EQ(e.sqlstate, "42501");
  EXPECT_EQ(e.message, "connection option \"passfile\" is not allowed for non-superusers");
}

TEST(SourcePolicy, RefusesUnixDomainSockets) {
  for (const std::string conninfo : {
           "host=/var/run/postgresql password=s3cret",
           "host=@abstract password=s3cret",
           "host=db1.example,/tmp password=s3cret",
           "host=/tmp,db1.example password=s3cret",
           "host=db1.example,/tmp hostaddr=10.0.0.1,10.0.0.2 password=s3cret",
           "host=db1.example, password=s3cret",  // an empty entry: the default socket
           "dbname=app password=s3cret",         // no host at all: the default socket
           "host='' password=s3cret",
           "hostaddr=10.0.0.1, password=s3cret",
           "postgresql://alice:s3cret@%2Fvar%2Frun%2Fpostgresql/app",
           "postgresql://alice:s3cret@/app",
           "postgresql:///app?host=/tmp&password=s3cret",
       }) {
    const PgError e = refusal(conninfo);
    EXPECT_EQ(e.sqlstate, "42501") << conninfo;
    EXPECT_EQ(e.message,
              "connecting to the source server through a Unix-domain socket is not allowed for non-superusers")
        << conninfo;
    EXPECT_FALSE(e.detail.empty());
    EXPECT_FALSE(e.hint.empty());
  }
}

TEST(SourcePolicy, InvalidConnectionStringIsReportedAsSuch) {
  const PgError e = refusal("host=db1 password='s3cret");
  EXPECT_EQ(e.sqlstate, "22023");
  EXPECT_EQ(e.message.find("s3cret"), std::string::npos) << e.message;
}

TEST(SourcePolicyAfterConnect, RefusesAServerThatAskedForNoPassword) {
  FakePgServer server({/*ask_password=*/false, std::chrono::milliseconds(-1)});
  Connection connection = Connection::open(server.conninfo(), "source");
  try {
    check_source_used_password(connection);
    FAIL() << "accepted a login without password";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate, "2F003");
    EXPECT_EQ(e.message, "password is required");
    EXPECT_EQ(e.detail, "Non-superuser cannot connect if the server does not request a password.");
    EXPECT_FALSE(e.hint.empty());
  }
}

TEST(SourcePolicyAfterConnect, AcceptsAServerThatAskedForThePassword) {
  FakePgServer server({/*ask_password=*/true, std::chrono::milliseconds(-1)});
  Connection connection = Connection::open(server.conninfo(), "source");
  EXPECT_NO_THROW(check_source_used_password(connection));
}
