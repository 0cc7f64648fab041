#pragma once
// Turning envelopes into ZeroMQ frames and back, with size and shape limits so
// a malformed or hostile message is rejected instead of crashing its reader.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "pgclone/protocol/messages.h"
#include "pgclone/protocol/version.h"

namespace pgclone::protocol {

// Any message that cannot be accepted. sqlstate says why (08P01 for a
// malformed message or a protocol version mismatch).
struct ProtocolError : std::runtime_error {
  ProtocolError(std::string sqlstate, const std::string& message)
      : std::runtime_error(message), sqlstate(std::move(sqlstate)) {}
  std::string sqlstate;
};

// The first frame of every message, e.g. "pgclone/1".
std::string protocol_tag();

// Throws ProtocolError when the tag is not pgclone's or names another major
// version (the message names both versions).
void check_protocol_tag(std::string_view tag);

std::string encode_envelope(const Envelope& envelope);
// Checks size, msgpack limits and the envelope's protocol_major.
Envelope decode_envelope(std::string_view body);

template <typename Payload>
std::string pack_payload(const Payload& payload) {
  msgpack::sbuffer buffer;
  msgpack::pack(buffer, payload);
  return std::string(buffer.data(), buffer.size());
}

// Unpacks with the same limits as envelopes; throws ProtocolError.
msgpack::object_handle unpack_limited(std::string_view bytes);

template <typename Payload>
Payload unpack_payload(const Envelope& envelope) {
  msgpack::object_handle handle = unpack_limited(envelope.payload);
  try {
    return handle.get().as<Payload>();
  } catch (const std::exception& e) {
    throw ProtocolError("08P01", std::string("malformed ") +
                                     message_kind_name(envelope.message_kind()) +
                                     " payload: " + e.what());
  }
}

// A whole message (request id 0) around an already packed payload: what the
// coordinator and its worker agents send each other.
std::string encode_packed(MessageKind kind, std::string packed_payload);

template <typename Payload>
Envelope make_envelope(MessageKind kind, std::uint64_t request_id, const Payload& payload) {
  Envelope envelope;
  envelope.protocol_major = kProtocolMajor;
  envelope.kind = static_cast<std::uint8_t>(kind);
  envelope.request_id = request_id;
  envelope.payload = pack_payload(payload);
  return envelope;
}

}  // namespace pgclone::protocol
