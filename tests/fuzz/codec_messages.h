#pragma once
// What the codec fuzzers start from and how they decode: every message kind
// with its payload type, a filled-in sample of each, and the receive path the
// agent and the extension run. Shared by the deterministic fuzz test
// (tests/unit/protocol/test_codec_fuzz.cpp) and the libFuzzer entry point
// (tests/fuzz/codec_fuzz.cpp).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/worker_messages.h"

namespace pgclone::protocol::fuzz {

template <MessageKind Kind, typename Payload>
struct Message {
  static constexpr MessageKind kind = Kind;
  using payload_type = Payload;
};

// Every kind of messages.h with its payload type. A new kind, or a kind whose
// payload changes type, is one line here; new fields need nothing.
using AllMessages = std::tuple<
    Message<MessageKind::kStatusRequest, StatusRequest>,
    Message<MessageKind::kCloneRequest, CloneRequest>,
    Message<MessageKind::kCancelRequest, CancelRequest>,
    Message<MessageKind::kJobsRequest, JobsRequest>,
    Message<MessageKind::kWaitRequest, WaitRequest>,
    Message<MessageKind::kResumeRequest, ResumeRequest>,
    Message<MessageKind::kClearRequest, ClearRequest>,
    Message<MessageKind::kLocalJobStart, LocalJobStart>,
    Message<MessageKind::kLocalJobEnd, LocalJobEnd>,
    Message<MessageKind::kStatusReply, StatusReply>,
    Message<MessageKind::kJobAccepted, JobAccepted>,
    Message<MessageKind::kJobProgress, JobProgress>,
    Message<MessageKind::kJobFinished, JobFinished>,
    Message<MessageKind::kCancelReply, CancelReply>,
    Message<MessageKind::kJobsReply, JobsReply>,
    Message<MessageKind::kClearReply, ClearReply>,
    Message<MessageKind::kErrorReply, ErrorInfo>,
    Message<MessageKind::kWorkerHello, WorkerHello>,
    Message<MessageKind::kWorkerWelcome, WorkerWelcome>,
    Message<MessageKind::kWorkerHeartbeat, WorkerHeartbeat>,
    Message<MessageKind::kCoordinatorHeartbeat, CoordinatorHeartbeat>,
    Message<MessageKind::kWorkerUnknown, WorkerUnknown>,
    Message<MessageKind::kTaskAssign, TaskAssign>,
    Message<MessageKind::kTaskResult, TaskResult>,
    Message<MessageKind::kTaskCancel, TaskCancel>>;

// Calls f(Message<...>{}) for every entry of AllMessages.
template <typename F>
void for_each_message(F&& f) {
  std::apply([&](auto... message) { (f(message), ...); }, AllMessages{});
}

// Payloads holding arrays of structs get elements, so that mutations find
// nested structs to corrupt; everything else is reached by fill().
template <typename Payload>
void add_elements(Payload&) {}
inline void add_elements(JobsReply& reply) { reply.jobs.resize(2); }
inline void add_elements(JobFinished& finished) { finished.notices.resize(2); }
inline void add_elements(WorkerHeartbeat& beat) { beat.tasks.resize(2); }
inline void add_elements(CoordinatorHeartbeat& beat) { beat.tasks.resize(2); }
inline void add_elements(TaskAssign& task) {
  task.steps.resize(2);
  task.table.copy_columns.resize(2);
}
inline void add_elements(TaskResult& result) { result.notices.resize(2); }

namespace detail {

// Strings, unsigned integers and booleans off their defaults: without
// knowing the fields, so a struct that gains one needs no change here.
inline void fill(msgpack::object& object, msgpack::zone& zone, unsigned& counter) {
  switch (object.type) {
    case msgpack::type::STR: {
      const std::string text = "sample text " + std::to_string(++counter);
      char* copy = static_cast<char*>(zone.allocate_align(text.size()));
      std::memcpy(copy, text.data(), text.size());
      object.via.str.ptr = copy;
      object.via.str.size = static_cast<std::uint32_t>(text.size());
      break;
    }
    case msgpack::type::POSITIVE_INTEGER: object.via.u64 = ++counter % 100 + 1; break;
    case msgpack::type::BOOLEAN: object.via.boolean = !object.via.boolean; break;
    case msgpack::type::ARRAY:
      for (std::uint32_t i = 0; i < object.via.array.size; ++i) fill(object.via.array.ptr[i], zone, counter);
      break;
    case msgpack::type::MAP:
      for (std::uint32_t i = 0; i < object.via.map.size; ++i) fill(object.via.map.ptr[i].val, zone, counter);
      break;
    default: break;
  }
}

}  // namespace detail

template <typename Payload>
Payload sample_payload() {
  Payload payload{};
  add_elements(payload);
  msgpack::zone zone;
  msgpack::object object(payload, zone);
  unsigned counter = 0;
  detail::fill(object, zone, counter);
  return object.as<Payload>();
}

struct Sample {
  MessageKind kind;
  std::string envelope;  // encode_envelope() of the whole message
  std::string payload;   // the envelope's payload bytes alone
};

// One valid encoded message of every kind in AllMessages.
inline std::vector<Sample> samples() {
  std::vector<Sample> out;
  std::uint64_t request_id = 1;
  for_each_message([&](auto message) {
    using Payload = typename decltype(message)::payload_type;
    const Envelope envelope = make_envelope(message.kind, request_id++, sample_payload<Payload>());
    out.push_back({message.kind, encode_envelope(envelope), envelope.payload});
  });
  return out;
}

// Wraps payload bytes in a valid envelope, so that mutations of a payload
// reach unpack_payload instead of stopping at decode_envelope.
inline std::string envelope_around(MessageKind kind, std::string payload) {
  Envelope envelope;
  envelope.protocol_major = kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(kind);
  envelope.request_id = 7;
  envelope.payload = std::move(payload);
  return encode_envelope(envelope);
}

// The receive path: decode_envelope, then the payload as every payload type
// (a hostile sender chooses the bytes, not which type the reader expects).
// Returns how many payload types decoded, -1 when the envelope did not.
// Refusals reach on_refused; any other exception escapes.
template <typename OnRefused>
int decode_every_way(std::string_view body, OnRefused&& on_refused) {
  Envelope envelope;
  try {
    envelope = decode_envelope(body);
  } catch (const ProtocolError& e) {
    on_refused(e);
    return -1;
  }
  (void)message_kind_name(envelope.message_kind());
  int decoded = 0;
  for_each_message([&](auto message) {
    using Payload = typename decltype(message)::payload_type;
    try {
      (void)unpack_payload<Payload>(envelope);
      ++decoded;
    } catch (const ProtocolError& e) {
      on_refused(e);
    }
  });
  return decoded;
}

}  // namespace pgclone::protocol::fuzz
