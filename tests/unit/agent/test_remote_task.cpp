// A table load as it travels to a worker agent: what leaves the coordinator
// (never the caller's proof) and what a worker refuses to run.
#include <gtest/gtest.h>

#include "cluster/remote_task.h"
#include "jobs/job_manager.h"
#include "pgclone/protocol/sqlstate.h"
#include "trust/enrolment.h"
#include "trust/key_generation.h"

namespace pgclone::agent::cluster {
namespace {

jobs::Job schema_job() {
  protocol::CloneRequest request;
  request.operation = protocol::kOpSchema;
  request.schema = "sales";
  request.source_conninfo = "host=src dbname=app user=u password=secret";
  request.caller = protocol::Caller{"app", std::string(64, 'a')};
  request.options_json = R"({"parallel": 2})";
  jobs::JobOwner owner;
  owner.server = "db1";
  owner.database = "app";
  owner.database_oid = 16384;
  owner.role = "alice";
  owner.role_oid = 16385;
  return jobs::Job(7, request, protocol::CloneOptions{}, owner);
}

trust::Enrolment enrolment_of(const std::string& name) {
  return trust::Enrolment::parse(R"({"servers": [{"name": ")" + name + R"(", "public_keys": [")" +
                                     trust::generate_key_pair().public_key +
                                     R"("], "target": "host=10.0.0.1 port=5432 user=agent"}]})",
                                 "test");
}

protocol::TaskAssign assignment() {
  const jobs::Job job = schema_job();
  plan::TableTask table;
  table.id = "table:sales.orders";
  table.target_qualified = "sales.orders";
  plan::Step index;
  index.id = "index:sales.orders_pkey";
  index.description = "index sales.orders_pkey";
  index.statements = {"ALTER TABLE sales.orders ADD PRIMARY KEY (id)"};
  protocol::TaskAssign task = load_table_assignment(job, table, {&index}, "00000003-1", true, false);
  task.task_id = 42;
  return task;
}

TEST(RemoteTask, TheCallersProofStaysWithTheCoordinator) {
  const protocol::TaskAssign task = assignment();
  EXPECT_TRUE(task.request.caller.proof.empty());
  EXPECT_TRUE(task.request.caller.database.empty());
  EXPECT_EQ(task.owner.role_oid, 16385);
  EXPECT_EQ(task.table.target_qualified, "sales.orders");
  ASSERT_EQ(task.steps.size(), 1u);
  EXPECT_EQ(task.steps[0].statements[0], "ALTER TABLE sales.orders ADD PRIMARY KEY (id)");
}

TEST(RemoteTask, AWorkerLogsInAsItsOwnServersFileSaysUnderTheTasksName) {
  const auto job = job_for_task(assignment(), enrolment_of("db1"));
  EXPECT_EQ(job->id(), 7);
  EXPECT_EQ(job->owner().role_oid, 16385);
  EXPECT_NE(job->target_conninfo().find("host=10.0.0.1"), std::string::npos) << job->target_conninfo();
  EXPECT_NE(job->target_conninfo().find("dbname='app'"), std::string::npos) << job->target_conninfo();
  EXPECT_NE(job->target_conninfo().find("application_name='pgclone-agent task 42'"), std::string::npos)
      << job->target_conninfo();
}

TEST(RemoteTask, AWorkerRefusesWhatItCannotRun) {
  const auto refused_with = [](const protocol::TaskAssign& task, const trust::Enrolment& enrolment) {
    try {
      job_for_task(task, enrolment);
    } catch (const jobs::JobRequestError& e) {
      return e.sqlstate;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused_with(assignment(), enrolment_of("db2")), protocol::sqlstate::kInvalidAuthorization);
  protocol::TaskAssign unknown_kind = assignment();
  unknown_kind.kind = "drop_everything";
  EXPECT_EQ(refused_with(unknown_kind, enrolment_of("db1")), protocol::sqlstate::kFeatureNotSupported);
  protocol::TaskAssign no_loads = assignment();
  no_loads.request.operation = "nonsense";
  EXPECT_EQ(refused_with(no_loads, enrolment_of("db1")), protocol::sqlstate::kFeatureNotSupported);
  protocol::TaskAssign bad_options = assignment();
  bad_options.request.options_json = R"({"parallel": "many"})";
  EXPECT_THROW(job_for_task(bad_options, enrolment_of("db1")), std::exception);
}

}  // namespace
}  // namespace pgclone::agent::cluster
