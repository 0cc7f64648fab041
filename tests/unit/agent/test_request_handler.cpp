#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "frontend/endpoint_policy.h"
#include "frontend/request_handler.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"
#include "trust/enrolment.h"

namespace pgclone::agent::frontend {
namespace {

using protocol::MessageKind;

const std::string kServerKey = "rq!Y6o2nS?xa3q@ZgG]9f4o(NSbp[Wy*jFR3.1[(";
const std::string kAliceProof(64, 'a');

class RequestHandlerTest : public ::testing::Test {
 protected:
  RequestHandlerTest()
      : manager_(1, [](jobs::Job&) { return jobs::RunOutcome{jobs::JobStatus::kCompleted, "OK", {}}; },
                 [](const jobs::Waiter&, MessageKind, std::string) {}),
        enrolment_(std::make_shared<const trust::Enrolment>(trust::Enrolment::parse(
            R"({"servers": [{"name": "db1", "public_keys": [")" + kServerKey + R"("], "target": "host=/tmp"}]})",
            "test"))),
        handler_(manager_, "tcp://127.0.0.1:1",
                 RequestHandlerDeps{
                     [this](const trust::EnrolledServer& server, const protocol::Caller& caller,
                            trust::CallerVerifier::Done done) {
                       if (verifier_busy_) return false;
                       ++verifications_;
                       // Stands in for the pg_locks lookup: only alice's proof is held.
                       if (caller.proof == kAliceProof && server.name == "db1") {
                         jobs::JobOwner alice{"db1", 16384, "app", 20001, "alice", false};
                         done(&alice, {});
                       } else {
                         done(nullptr, {"28000", "pgclone agent could not verify the calling session", "", "", ""});
                       }
                       return true;
                     },
                     [this] { return enrolment_; },
                     [this](const std::string&, std::string body) { deferred_.push_back(std::move(body)); }}) {}

  // The reply to frames, immediate or (after verification) deferred.
  protocol::Envelope roundtrip(const std::vector<std::string>& frames, const std::string& key = kServerKey,
                               const std::string& identity = "peer") {
    deferred_.clear();
    std::string reply = handler_.handle(identity, key, frames);
    if (reply.empty() && !deferred_.empty()) reply = deferred_.back();
    EXPECT_FALSE(reply.empty());
    return protocol::decode_envelope(reply);
  }

  template <typename Payload>
  std::vector<std::string> frames_for(MessageKind kind, std::uint64_t id, const Payload& payload) {
    return {protocol::protocol_tag(), protocol::encode_envelope(protocol::make_envelope(kind, id, payload))};
  }

  protocol::CloneRequest valid_clone() {
    protocol::CloneRequest request;
    request.operation = protocol::kOpTable;
    request.source_conninfo = "host=localhost dbname=src password=s3cret";
    request.caller = {"app", kAliceProof};
    request.schema = "public";
    request.table = "t";
    return request;
  }

  int jobs_created() {
    const auto counts = manager_.counts().by_status;
    int n = 0;
    for (const auto& [status, count] : counts) n += count;
    return n;
  }

  jobs::JobManager manager_;
  std::shared_ptr<const trust::Enrolment> enrolment_;
  std::vector<std::string> deferred_;
  int verifications_ = 0;
  bool verifier_busy_ = false;
  RequestHandler handler_;
};

TEST_F(RequestHandlerTest, StatusReportsVersionsAndWorkers) {
  const protocol::Envelope reply = roundtrip(frames_for(MessageKind::kStatusRequest, 5, protocol::StatusRequest{}));
  EXPECT_EQ(reply.request_id, 5u);
  ASSERT_EQ(reply.message_kind(), MessageKind::kStatusReply);
  const auto status = nlohmann::json::parse(protocol::unpack_payload<protocol::StatusReply>(reply).json);
  EXPECT_EQ(status["agent_version"], protocol::kProductVersion);
  EXPECT_EQ(status["protocol_version"], protocol::kProtocolMajor);
  EXPECT_EQ(status["workers"]["total"], 1);
  EXPECT_TRUE(status["jobs"].contains("interrupted"));
}

TEST_F(RequestHandlerTest, CloneRequestIsAccepted) {
  const protocol::Envelope reply = roundtrip(frames_for(MessageKind::kCloneRequest, 6, valid_clone()));
  ASSERT_EQ(reply.message_kind(), MessageKind::kJobAccepted);
  EXPECT_GT(protocol::unpack_payload<protocol::JobAccepted>(reply).job_id, 0);
}

TEST_F(RequestHandlerTest, BadOptionsAreRefusedBeforeAJobExists) {
  protocol::CloneRequest request = valid_clone();
  request.options_json = R"({"bogus":1})";
  const protocol::Envelope reply = roundtrip(frames_for(MessageKind::kCloneRequest, 7, request));
  ASSERT_EQ(reply.message_kind(), MessageKind::kErrorReply);
  const auto error = protocol::unpack_payload<protocol::ErrorInfo>(reply);
  EXPECT_EQ(error.sqlstate, "22023");
  EXPECT_NE(error.message.find("bogus"), std::string::npos);
  EXPECT_EQ(manager_.counts().by_status["pending"] + manager_.counts().by_status["completed"], 0);
}

TEST_F(RequestHandlerTest, MalformedConninfoIsRefusedWithoutItsPassword) {
  protocol::CloneRequest request = valid_clone();
  request.source_conninfo = "host=x password=hunter2 nonsense";
  const protocol::Envelope reply = roundtrip(frames_for(MessageKind::kCloneRequest, 8, request));
  ASSERT_EQ(reply.message_kind(), MessageKind::kErrorReply);
  const auto error = protocol::unpack_payload<protocol::ErrorInfo>(reply);
  EXPECT_EQ(error.sqlstate, "22023");
  EXPECT_EQ(error.message.find("hunter2"), std::string::npos);
  EXPECT_EQ(error.detail.find("hunter2"), std::string::npos);
}

TEST_F(RequestHandlerTest, UnknownOperationIsRefused) {
  protocol::CloneRequest request = valid_clone();
  request.operation = "galaxy";
  const auto error = protocol::unpack_payload<protocol::ErrorInfo>(
      roundtrip(frames_for(MessageKind::kCloneRequest, 9, request)));
  EXPECT_EQ(error.sqlstate, "0A000");
}

TEST_F(RequestHandlerTest, CancelOfAnUnknownJobSaysSo) {
  const auto reply = roundtrip(frames_for(MessageKind::kCancelRequest, 10,
                                          protocol::CancelRequest{12345, {"app", kAliceProof}}));
  ASSERT_EQ(reply.message_kind(), MessageKind::kErrorReply);
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "42704");
}

TEST_F(RequestHandlerTest, VersionMismatchIsAnsweredNamingBothVersions) {
  auto frames = frames_for(MessageKind::kStatusRequest, 11, protocol::StatusRequest{});
  frames[0] = "pgclone/7";
  const protocol::Envelope reply = roundtrip(frames);
  EXPECT_EQ(reply.request_id, 11u);
  const auto error = protocol::unpack_payload<protocol::ErrorInfo>(reply);
  EXPECT_EQ(error.sqlstate, "08P01");
  EXPECT_NE(error.message.find("7"), std::string::npos);
  EXPECT_NE(error.message.find(std::to_string(protocol::kProtocolMajor)), std::string::npos);
}

TEST_F(RequestHandlerTest, GarbageIsDroppedOrAnsweredNeverFatal) {
  EXPECT_EQ(handler_.handle("peer", kServerKey, {}), "");
  EXPECT_EQ(handler_.handle("peer", kServerKey, {"only one frame"}), "");
  EXPECT_EQ(handler_.handle("peer", kServerKey, {"a", "b", "c"}), "");
  EXPECT_EQ(handler_.handle("peer", kServerKey, {"not a tag", "\xc1"}), "");
  EXPECT_EQ(handler_.handle("peer", kServerKey, {protocol::protocol_tag(), "garbage"}), "");
  // A well-formed envelope whose payload does not match its kind gets an error.
  auto frames = frames_for(MessageKind::kCloneRequest, 12, std::string("nope"));
  const auto reply = roundtrip(frames);
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "08P01");
  // So does a kind the agent does not serve.
  const auto odd = roundtrip(frames_for(MessageKind::kJobFinished, 13, protocol::JobFinished{}));
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(odd).sqlstate, "08P01");
}

TEST_F(RequestHandlerTest, ShuttingDownRefusesNewClones) {
  handler_.set_shutting_down();
  const auto reply = roundtrip(frames_for(MessageKind::kCloneRequest, 14, valid_clone()));
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "57P01");
}

TEST_F(RequestHandlerTest, AKeyNoLongerEnrolledIsRefused) {
  const auto reply = roundtrip(frames_for(MessageKind::kCloneRequest, 15, valid_clone()),
                               "0000000000000000000000000000000000000000");
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "28000");
  EXPECT_EQ(jobs_created(), 0);
}

TEST_F(RequestHandlerTest, AClaimNobodyHoldsCreatesNoJob) {
  protocol::CloneRequest request = valid_clone();
  request.caller.proof = std::string(64, 'b');
  const auto reply = roundtrip(frames_for(MessageKind::kCloneRequest, 16, request));
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "28000");
  EXPECT_EQ(jobs_created(), 0);
  // The job requests are verified the same way: a forged caller lists nothing.
  const auto listed = roundtrip(frames_for(MessageKind::kJobsRequest, 17,
                                           protocol::JobsRequest{{"app", std::string(64, 'b')}, 0}));
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(listed).sqlstate, "28000");
}

TEST_F(RequestHandlerTest, EveryJobRequestIsVerified) {
  roundtrip(frames_for(MessageKind::kJobsRequest, 18, protocol::JobsRequest{{"app", kAliceProof}, 0}));
  roundtrip(frames_for(MessageKind::kClearRequest, 19, protocol::ClearRequest{{"app", kAliceProof}}));
  roundtrip(frames_for(MessageKind::kResumeRequest, 20, protocol::ResumeRequest{{"app", kAliceProof}, 99, ""}));
  roundtrip(frames_for(MessageKind::kWaitRequest, 21, protocol::WaitRequest{{"app", kAliceProof}, 99}));
  EXPECT_EQ(verifications_, 4);
}

TEST_F(RequestHandlerTest, OnlyTheSubmittingConnectionCancelsWithoutAProof) {
  const auto accepted = roundtrip(frames_for(MessageKind::kCloneRequest, 22, valid_clone()), kServerKey, "backend-1");
  const std::int64_t job_id = protocol::unpack_payload<protocol::JobAccepted>(accepted).job_id;
  const auto stranger = roundtrip(frames_for(MessageKind::kCancelRequest, 23, protocol::CancelRequest{job_id, {}, 0}),
                                  kServerKey, "backend-2");
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(stranger).sqlstate, "42704");
  const auto own = roundtrip(frames_for(MessageKind::kCancelRequest, 24, protocol::CancelRequest{job_id, {}, 0}),
                             kServerKey, "backend-1");
  EXPECT_EQ(own.message_kind(), MessageKind::kCancelReply);
}

TEST_F(RequestHandlerTest, OversizedNamesAndConninfosAreRefused) {
  protocol::CloneRequest request = valid_clone();
  request.schema = std::string(64, 's');
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(roundtrip(frames_for(MessageKind::kCloneRequest, 25, request)))
                .sqlstate,
            "42622");
  request = valid_clone();
  request.source_conninfo = "host=x dbname=" + std::string(5000, 'd');
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(roundtrip(frames_for(MessageKind::kCloneRequest, 26, request)))
                .sqlstate,
            "22023");
  EXPECT_EQ(verifications_, 0);  // refused before any database round trip
  EXPECT_EQ(jobs_created(), 0);
}

TEST_F(RequestHandlerTest, ABusyVerifierIsSaidSo) {
  verifier_busy_ = true;
  const auto reply = roundtrip(frames_for(MessageKind::kCloneRequest, 27, valid_clone()));
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(reply).sqlstate, "53300");
}

TEST_F(RequestHandlerTest, AResumeConninfoIsBoundedBeforeVerification) {
  const protocol::ResumeRequest huge{{"app", kAliceProof}, 1, "host=x dbname=" + std::string(5000, 'd')};
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(roundtrip(frames_for(MessageKind::kResumeRequest, 28, huge)))
                .sqlstate,
            "22023");
  const protocol::ResumeRequest malformed{{"app", kAliceProof}, 1, "host=x password=Marker_Pw_1 nonsense"};
  const auto error =
      protocol::unpack_payload<protocol::ErrorInfo>(roundtrip(frames_for(MessageKind::kResumeRequest, 29, malformed)));
  EXPECT_EQ(error.sqlstate, "22023");
  EXPECT_EQ(error.message.find("Marker_Pw_1"), std::string::npos);
  EXPECT_EQ(verifications_, 0);
}

TEST_F(RequestHandlerTest, AServerNameLongerThanANameIsRefused) {
  protocol::CloneRequest request = valid_clone();
  request.source_server = std::string(64, 'p');
  EXPECT_EQ(protocol::unpack_payload<protocol::ErrorInfo>(roundtrip(frames_for(MessageKind::kCloneRequest, 30, request)))
                .sqlstate,
            "42622");
  EXPECT_EQ(verifications_, 0);
}

TEST(EndpointPolicy, LoopbackAndIpcAreLocal) {
  EXPECT_TRUE(is_local_endpoint("tcp://127.0.0.1:5599"));
  EXPECT_TRUE(is_local_endpoint("tcp://localhost:5599"));
  EXPECT_TRUE(is_local_endpoint("tcp://[::1]:5599"));
  EXPECT_TRUE(is_local_endpoint("ipc:///run/pgclone.sock"));
  EXPECT_FALSE(is_local_endpoint("tcp://0.0.0.0:5599"));
  EXPECT_FALSE(is_local_endpoint("tcp://*:5599"));
  EXPECT_FALSE(is_local_endpoint("tcp://10.1.2.3:5599"));
  EXPECT_THROW(check_endpoint_policy("tcp://*:5599", false), std::runtime_error);
  EXPECT_NO_THROW(check_endpoint_policy("tcp://*:5599", true));
}

}  // namespace
}  // namespace pgclone::agent::frontend
