#include <gtest/gtest.h>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"

namespace pgclone::protocol {
namespace {

CloneRequest sample_request() {
  CloneRequest request;
  request.operation = kOpTable;
  request.source_conninfo = "host=src dbname=app";
  request.caller = Caller{"app", std::string(64, 'a')};
  request.schema = "Ünïcode Schema";
  request.table = "Weird \"Name\"";
  request.include_data = false;
  request.options_json = R"({"conflict":"replace"})";
  return request;
}

TEST(Codec, CloneRequestRoundTrip) {
  const Envelope sent = make_envelope(MessageKind::kCloneRequest, 42, sample_request());
  const Envelope received = decode_envelope(encode_envelope(sent));
  EXPECT_EQ(received.request_id, 42u);
  EXPECT_EQ(received.message_kind(), MessageKind::kCloneRequest);
  const CloneRequest request = unpack_payload<CloneRequest>(received);
  EXPECT_EQ(request.schema, "Ünïcode Schema");
  EXPECT_EQ(request.table, "Weird \"Name\"");
  EXPECT_EQ(request.caller.database, "app");
  EXPECT_EQ(request.caller.proof, std::string(64, 'a'));
  EXPECT_FALSE(request.include_data);
  EXPECT_TRUE(request.wait);
  EXPECT_EQ(request.options_json, R"({"conflict":"replace"})");
}

TEST(Codec, ErrorReplyKeepsEveryField) {
  const ErrorInfo error{"42P01", "source table x does not exist", "Detail.", "Hint.", "ctx"};
  const ErrorInfo back =
      unpack_payload<ErrorInfo>(decode_envelope(encode_envelope(make_envelope(MessageKind::kErrorReply, 7, error))));
  EXPECT_EQ(back.sqlstate, "42P01");
  EXPECT_EQ(back.message, error.message);
  EXPECT_EQ(back.detail, "Detail.");
  EXPECT_EQ(back.hint, "Hint.");
  EXPECT_EQ(back.context, "ctx");
}

TEST(Codec, JobFinishedWithNotices) {
  JobFinished finished;
  finished.job_id = 9;
  finished.status = "completed";
  finished.result_text = "OK";
  finished.notices.push_back(Notice{"warning", "w", "d"});
  const JobFinished back = unpack_payload<JobFinished>(
      decode_envelope(encode_envelope(make_envelope(MessageKind::kJobFinished, 1, finished))));
  ASSERT_EQ(back.notices.size(), 1u);
  EXPECT_EQ(back.notices[0].level, "warning");
  EXPECT_EQ(back.job_id, 9);
}

TEST(Codec, LocalJobStartRoundTrip) {
  LocalJobStart start;
  start.caller = Caller{"app", std::string(64, 'b')};
  start.operation = kOpMaskInPlace;
  start.schema = "Ünïcode Schema";
  start.table = "people";
  start.phase = "rewriting table";
  const Envelope received = decode_envelope(encode_envelope(make_envelope(MessageKind::kLocalJobStart, 3, start)));
  EXPECT_EQ(received.message_kind(), MessageKind::kLocalJobStart);
  EXPECT_STREQ(message_kind_name(received.message_kind()), "local job start");
  const LocalJobStart back = unpack_payload<LocalJobStart>(received);
  EXPECT_EQ(back.caller.database, "app");
  EXPECT_EQ(back.caller.proof, std::string(64, 'b'));
  EXPECT_EQ(back.operation, "mask_in_place");
  EXPECT_EQ(back.schema, "Ünïcode Schema");
  EXPECT_EQ(back.table, "people");
  EXPECT_EQ(back.phase, "rewriting table");
}

TEST(Codec, LocalJobEndRoundTrip) {
  LocalJobEnd end;
  end.job_id = 17;
  end.status = "cancelled";
  end.rows = 2500000;
  end.error = ErrorInfo{"57014", "canceling statement due to user request", "", "", ""};
  const Envelope received = decode_envelope(encode_envelope(make_envelope(MessageKind::kLocalJobEnd, 4, end)));
  EXPECT_STREQ(message_kind_name(received.message_kind()), "local job end");
  const LocalJobEnd back = unpack_payload<LocalJobEnd>(received);
  EXPECT_EQ(back.job_id, 17);
  EXPECT_EQ(back.status, "cancelled");
  EXPECT_EQ(back.rows, 2500000);
  EXPECT_EQ(back.error.sqlstate, "57014");
  EXPECT_EQ(back.error.message, "canceling statement due to user request");
}

// A CancelReply of an older agent (two fields) names no backend.
TEST(Codec, CancelReplyBackendFieldsDefaultForOlderAgents) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_array(2);
  packer.pack(true);
  packer.pack(std::string("cancel requested for job 3"));
  Envelope envelope;
  envelope.protocol_major = kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(MessageKind::kCancelReply);
  envelope.payload.assign(buffer.data(), buffer.size());
  const CancelReply reply = unpack_payload<CancelReply>(envelope);
  EXPECT_TRUE(reply.cancelled);
  EXPECT_EQ(reply.backend_pid, 0);
  EXPECT_EQ(reply.database_oid, 0);

  CancelReply local{false, "job 5 runs in backend 4242", 4242, 16384, "app", "public", "people"};
  const CancelReply back = unpack_payload<CancelReply>(
      decode_envelope(encode_envelope(make_envelope(MessageKind::kCancelReply, 2, local))));
  EXPECT_EQ(back.backend_pid, 4242);
  EXPECT_EQ(back.database_oid, 16384);
  EXPECT_EQ(back.database, "app");
  EXPECT_EQ(back.schema, "public");
  EXPECT_EQ(back.table, "people");
}

// Structs only grow at the end: an older, shorter message still decodes.
TEST(Codec, ShorterPayloadLeavesTrailingFieldsAtDefaults) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_array(1);
  packer.pack(std::int64_t{5});
  Envelope envelope;
  envelope.protocol_major = kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(MessageKind::kJobProgress);
  envelope.payload.assign(buffer.data(), buffer.size());
  const JobProgress progress = unpack_payload<JobProgress>(envelope);
  EXPECT_EQ(progress.job_id, 5);
  EXPECT_EQ(progress.rows_copied, 0);
}

TEST(Codec, TagCheck) {
  EXPECT_NO_THROW(check_protocol_tag(protocol_tag()));
  EXPECT_THROW(check_protocol_tag("http/1.1"), ProtocolError);
  EXPECT_THROW(check_protocol_tag("pgclone/"), ProtocolError);
  EXPECT_THROW(check_protocol_tag("pgclone/1x"), ProtocolError);
  try {
    check_protocol_tag("pgclone/99");
    FAIL() << "a mismatched major version must be rejected";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.sqlstate, "08P01");
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(std::to_string(kProtocolMajor)), std::string::npos);
  }
}

TEST(Codec, EnvelopeWithOtherMajorIsRejected) {
  Envelope envelope = make_envelope(MessageKind::kStatusRequest, 1, StatusRequest{});
  envelope.protocol_major = kProtocolMajor + 1;
  EXPECT_THROW(decode_envelope(encode_envelope(envelope)), ProtocolError);
}

TEST(Codec, GarbageIsRejectedNotCrashing) {
  const std::string inputs[] = {
      "", "\xc1", "not msgpack at all", std::string("\x93\x01\x02", 3),  // truncated array
      std::string("\xdd\xff\xff\xff\xff", 5),                            // array claiming 4G items
      std::string("\xdb\x7f\xff\xff\xff", 5),                            // str claiming 2G bytes
  };
  for (const std::string& input : inputs) {
    EXPECT_THROW(decode_envelope(input), ProtocolError) << "input size " << input.size();
  }
}

TEST(Codec, WrongShapeIsRejected) {
  // A valid msgpack map where an array envelope is expected.
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  packer.pack_map(1);
  packer.pack(std::string("a"));
  packer.pack(1);
  EXPECT_THROW(decode_envelope(std::string(buffer.data(), buffer.size())), ProtocolError);

  Envelope envelope = make_envelope(MessageKind::kCloneRequest, 3, std::string("just a string"));
  EXPECT_THROW(unpack_payload<CloneRequest>(decode_envelope(encode_envelope(envelope))), ProtocolError);
}

TEST(Codec, DeepNestingIsRejected) {
  std::string nested(100, '\x91');  // 100 nested one-element arrays
  nested += '\x01';
  EXPECT_THROW(decode_envelope(nested), ProtocolError);
}

TEST(Codec, OversizedMessageIsRejected) {
  const std::string huge(static_cast<std::size_t>(kMaxMessageBytes) + 1, '\x00');
  EXPECT_THROW(decode_envelope(huge), ProtocolError);
}

TEST(Codec, TrailingBytesAreRejected) {
  std::string body = encode_envelope(make_envelope(MessageKind::kStatusRequest, 1, StatusRequest{}));
  body += '\x01';
  EXPECT_THROW(decode_envelope(body), ProtocolError);
}

}  // namespace
}  // namespace pgclone::protocol
