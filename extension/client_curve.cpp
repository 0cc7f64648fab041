// Pure C++: the CURVE side of the agent client (see client_curve.h).
#include "cxx_only.h"

#include "client_curve.h"

#include <zmq.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/sqlstate.h"

namespace pgclone::extension {

namespace proto = pgclone::protocol;

// Sets this server's CURVE keys on the DEALER socket. Returns the error, or
// nullopt. The secret key is wiped from our memory once ZeroMQ has it.
std::optional<proto::ErrorInfo> set_curve_keys(void* socket, const AgentAddress& address) {
  if (address.key_file[0] == '\0' || address.agent_public_key[0] == '\0') {
    return proto::ErrorInfo{proto::sqlstate::kObjectNotInPrerequisiteState,
                            "this server is not enrolled with a pgclone agent",
                            std::string("pgclone.") + (address.key_file[0] == '\0' ? "key_file" : "agent_public_key") +
                                " is not set.",
                            "Create a key pair with \"pgclone-agent keygen\", enrol its public key in the agent's "
                            "--servers file, and set pgclone.key_file and pgclone.agent_public_key (see the "
                            "README's security model).",
                            ""};
  }
  if (!proto::is_curve_key(address.agent_public_key)) {
    return proto::ErrorInfo{proto::sqlstate::kInvalidParameterValue,
                            "pgclone.agent_public_key is not a CURVE public key",
                            "It must be the 40 characters of Z85 text that pgclone-agent keygen printed.", "", ""};
  }
  proto::CurveKeyPair pair;
  try {
    pair = proto::read_key_file(address.key_file);
  } catch (const proto::KeyFileError& e) {
    return proto::ErrorInfo{proto::sqlstate::kInvalidAuthorization, e.what(), "",
                            "pgclone.key_file must name this server's key pair, readable only by the "
                            "PostgreSQL server's OS user.",
                            ""};
  }
  const int as_server = 0;
  const bool ok = zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &as_server, sizeof as_server) == 0 &&
                  zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, address.agent_public_key,
                                 proto::kCurveKeyLength) == 0 &&
                  zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, pair.public_key.data(),
                                 proto::kCurveKeyLength) == 0 &&
                  zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, pair.secret_key.data(),
                                 proto::kCurveKeyLength) == 0;
  std::fill(pair.secret_key.begin(), pair.secret_key.end(), '\0');
  if (!ok) {
    return proto::ErrorInfo{proto::sqlstate::kInternalError,
                            std::string("could not set the CURVE keys of the agent connection: ") + zmq_strerror(zmq_errno()),
                            "", "libzmq must be built with CURVE support (libsodium).", ""};
  }
  return std::nullopt;
}

// Handshake failures are otherwise invisible (the DEALER just never hears
// back); a monitor lets a refused key fail the call at once.
void* watch_handshakes(void* context, void* socket) {
  const std::string address = "inproc://pgclone-monitor-" + std::to_string(reinterpret_cast<std::uintptr_t>(socket));
  if (zmq_socket_monitor(socket, address.c_str(),
                         ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) != 0) {
    return nullptr;  // no monitor: failures show as a timeout instead
  }
  void* monitor = zmq_socket(context, ZMQ_PAIR);
  if (monitor != nullptr && zmq_connect(monitor, address.c_str()) != 0) {
    zmq_close(monitor);
    monitor = nullptr;
  }
  return monitor;
}

// The first handshake failure the monitor reported, if any.
std::optional<proto::ErrorInfo> handshake_failure(void* monitor, const std::string& endpoint,
                                                  const std::string& key_file) {
  if (monitor == nullptr) return std::nullopt;
  zmq_msg_t event;
  zmq_msg_init(&event);
  std::optional<proto::ErrorInfo> failure;
  while (zmq_msg_recv(&event, monitor, ZMQ_DONTWAIT) >= 0) {
    const bool more = zmq_msg_more(&event) != 0;
    if (zmq_msg_size(&event) >= 6 && !failure) {
      std::uint16_t kind = 0;
      std::memcpy(&kind, zmq_msg_data(&event), sizeof kind);
      if (kind == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
        failure = proto::ErrorInfo{
            proto::sqlstate::kInvalidAuthorization,
            "pgclone agent at \"" + endpoint + "\" refused this server's key",
            "No server the agent enrolled has the public key of pgclone.key_file (\"" + key_file + "\").",
            "Add the server's public key to the agent's --servers file and send the agent SIGHUP.", ""};
      } else if (kind == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
        failure = proto::ErrorInfo{
            proto::sqlstate::kInvalidAuthorization,
            "could not authenticate with pgclone agent at \"" + endpoint + "\"",
            "The CURVE handshake failed.",
            "Check that pgclone.agent_public_key is the public key the agent logs when it starts.", ""};
      }
    }
    if (!more) continue;
  }
  zmq_msg_close(&event);
  return failure;
}

}  // namespace pgclone::extension
