#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "frontend/endpoint_policy.h"
#include "frontend/request_handler.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"

namespace pgclone::agent::frontend {
namespace {

using protocol::MessageKind;

class RequestHandlerTest : public ::testing::Test {
 protected:
  RequestHandlerTest()
      : manager_(1, [](jobs::Job&) { return jobs::RunOutcome{jobs::JobStatus::kCompleted, "OK", {}}; },
                 [](const jobs::Waiter&, MessageKind, std::string) {}),
        handler_(manager_, "tcp://127.0.0.1:1") {}

  protocol::Envelope roundtrip(const std::vector<std::string>& frames) {
    const std::string reply = handler_.handle("peer", frames);
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
    request.target_conninfo = "host=/tmp port=5432 dbname=t user=alice";
    request.caller = {"alice", "alice", false};
    request.schema = "public";
    request.table = "t";
    return request;
  }

  jobs::JobManager manager_;
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
                                          protocol::CancelRequest{12345, {"alice", "alice", false}}));
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
  EXPECT_EQ(handler_.handle("peer", {}), "");
  EXPECT_EQ(handler_.handle("peer", {"only one frame"}), "");
  EXPECT_EQ(handler_.handle("peer", {"a", "b", "c"}), "");
  EXPECT_EQ(handler_.handle("peer", {"not a tag", "\xc1"}), "");
  EXPECT_EQ(handler_.handle("peer", {protocol::protocol_tag(), "garbage"}), "");
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
