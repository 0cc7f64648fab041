#include "pgclone/protocol/codec.h"

#include <charconv>

#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/version.h"

namespace pgclone::protocol {
namespace {

// Generous for our payloads, small enough that a hostile message cannot make
// the reader allocate without bound.
const msgpack::unpack_limit kUnpackLimits(
    /*array=*/100000, /*map=*/10000, /*str=*/static_cast<std::size_t>(kMaxMessageBytes),
    /*bin=*/static_cast<std::size_t>(kMaxMessageBytes), /*ext=*/0, /*depth=*/16);

}  // namespace

const char* message_kind_name(MessageKind kind) {
  switch (kind) {
    case MessageKind::kStatusRequest: return "status request";
    case MessageKind::kCloneRequest: return "clone request";
    case MessageKind::kCancelRequest: return "cancel request";
    case MessageKind::kJobsRequest: return "jobs request";
    case MessageKind::kWaitRequest: return "wait request";
    case MessageKind::kResumeRequest: return "resume request";
    case MessageKind::kClearRequest: return "clear request";
    case MessageKind::kLocalJobStart: return "local job start";
    case MessageKind::kLocalJobEnd: return "local job end";
    case MessageKind::kStatusReply: return "status reply";
    case MessageKind::kJobAccepted: return "job accepted";
    case MessageKind::kJobProgress: return "job progress";
    case MessageKind::kJobFinished: return "job finished";
    case MessageKind::kCancelReply: return "cancel reply";
    case MessageKind::kJobsReply: return "jobs reply";
    case MessageKind::kClearReply: return "clear reply";
    case MessageKind::kErrorReply: return "error reply";
    case MessageKind::kWorkerHello: return "worker hello";
    case MessageKind::kWorkerWelcome: return "worker welcome";
    case MessageKind::kWorkerHeartbeat: return "worker heartbeat";
    case MessageKind::kCoordinatorHeartbeat: return "coordinator heartbeat";
    case MessageKind::kWorkerUnknown: return "worker unknown";
    case MessageKind::kTaskAssign: return "task assign";
    case MessageKind::kTaskResult: return "task result";
    case MessageKind::kTaskCancel: return "task cancel";
  }
  return "unknown message";
}

std::string encode_packed(MessageKind kind, std::string packed_payload) {
  Envelope envelope;
  envelope.protocol_major = kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(kind);
  envelope.payload = std::move(packed_payload);
  return encode_envelope(envelope);
}

std::string protocol_tag() { return std::string(kProtocolTagPrefix) + std::to_string(kProtocolMajor); }

void check_protocol_tag(std::string_view tag) {
  const std::string_view prefix(kProtocolTagPrefix);
  if (tag.size() > 32 || tag.substr(0, prefix.size()) != prefix) {
    throw ProtocolError(sqlstate::kProtocolViolation, "message is not a pgclone protocol message");
  }
  std::string_view digits = tag.substr(prefix.size());
  unsigned major = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), major);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    throw ProtocolError(sqlstate::kProtocolViolation, "malformed pgclone protocol tag");
  }
  if (major != kProtocolMajor) {
    throw ProtocolError(sqlstate::kProtocolViolation,
                        "pgclone protocol version mismatch: peer speaks version " +
                            std::to_string(major) + ", this side speaks version " +
                            std::to_string(kProtocolMajor));
  }
}

std::string encode_envelope(const Envelope& envelope) { return pack_payload(envelope); }

msgpack::object_handle unpack_limited(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(kMaxMessageBytes)) {
    throw ProtocolError(sqlstate::kProtocolViolation, "message exceeds the size limit");
  }
  try {
    std::size_t offset = 0;
    msgpack::object_handle handle =
        msgpack::unpack(bytes.data(), bytes.size(), offset, nullptr, nullptr, kUnpackLimits);
    if (offset != bytes.size()) {
      throw ProtocolError(sqlstate::kProtocolViolation, "message has trailing bytes");
    }
    return handle;
  } catch (const ProtocolError&) {
    throw;
  } catch (const std::exception& e) {
    throw ProtocolError(sqlstate::kProtocolViolation, std::string("malformed message: ") + e.what());
  }
}

Envelope decode_envelope(std::string_view body) {
  msgpack::object_handle handle = unpack_limited(body);
  Envelope envelope;
  try {
    handle.get().convert(envelope);
  } catch (const std::exception& e) {
    throw ProtocolError(sqlstate::kProtocolViolation, std::string("malformed envelope: ") + e.what());
  }
  if (envelope.protocol_major != kProtocolMajor) {
    throw ProtocolError(sqlstate::kProtocolViolation,
                        "pgclone protocol version mismatch: peer speaks version " +
                            std::to_string(envelope.protocol_major) +
                            ", this side speaks version " + std::to_string(kProtocolMajor));
  }
  return envelope;
}

}  // namespace pgclone::protocol
