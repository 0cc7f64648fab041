#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "pg/libpq_environment.h"

using pgclone::agent::pg::clear_libpq_environment;

TEST(LibpqEnvironment, DropsEveryPgVariableAndNothingElse) {
  setenv("PGPASSWORD", "s3cret", 1);
  setenv("PGPASSFILE", "/root/.pgpass", 1);
  setenv("PGSERVICEFILE", "/etc/pg_service.conf", 1);
  setenv("PGHOST", "/var/run/postgresql", 1);
  setenv("PGSOMEDAY", "a variable a later libpq may read", 1);
  setenv("NOT_PGHOST", "kept", 1);
  const auto names = clear_libpq_environment();
  for (const char* name : {"PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE", "PGHOST", "PGSOMEDAY"}) {
    EXPECT_EQ(std::getenv(name), nullptr) << name;
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  ASSERT_NE(std::getenv("NOT_PGHOST"), nullptr);
  EXPECT_STREQ(std::getenv("NOT_PGHOST"), "kept");
  unsetenv("NOT_PGHOST");
}
