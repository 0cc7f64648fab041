// Pure C++: the request builders of agent_client.h (status and clone
// requests); the transport itself is agent_client.cpp.
#include "cxx_only.h"

#include "agent_client.h"
#include "client_transport.h"

#include <exception>
#include <string_view>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/messages.h"

namespace pgclone::extension {
namespace {

namespace proto = pgclone::protocol;

static_assert(std::string_view(kOperationTable) == std::string_view(proto::kOpTable) &&
                  std::string_view(kOperationSchema) == std::string_view(proto::kOpSchema) &&
                  std::string_view(kOperationFunctions) == std::string_view(proto::kOpFunctions) &&
                  std::string_view(kOperationDatabase) == std::string_view(proto::kOpDatabase) &&
                  std::string_view(kOperationDatabaseCreate) == std::string_view(proto::kOpDatabaseCreate) &&
                  std::string_view(kOperationDiscover) == std::string_view(proto::kOpDiscover) &&
                  std::string_view(kOperationRoles) == std::string_view(proto::kOpRoles) &&
                  std::string_view(kOperationPreflight) == std::string_view(proto::kOpPreflight) &&
                  std::string_view(kOperationTableSample) == std::string_view(proto::kOpTableSample) &&
                  std::string_view(kOperationSchemaSample) == std::string_view(proto::kOpSchemaSample) &&
                  std::string_view(kOperationVerify) == std::string_view(proto::kOpVerify),
              "agent_client.h operation names must match the protocol");
static_assert(std::string_view(kOperationDiff) == std::string_view(proto::kOpDiff),
              "agent_client.h operation names must match the protocol");

}  // namespace

SendResult client_send_status_request(const AgentAddress& address) noexcept {
  try {
    return client_send_payload(address, proto::MessageKind::kStatusRequest,
                               proto::pack_payload(proto::StatusRequest{}), false);
  } catch (const std::exception& e) {
    return client_send_error(e.what());
  } catch (...) {
    return client_send_error("unknown exception");
  }
}

SendResult client_send_clone_request(const AgentAddress& address,
                                     const CloneRequestFields& fields) noexcept {
  try {
    proto::CloneRequest request;
    request.operation = fields.operation;
    request.source_conninfo = fields.source_conninfo;
    request.caller = to_protocol_caller(fields.caller);
    request.schema = fields.schema;
    request.table = fields.table;
    request.target_table = fields.target_table;
    request.include_data = fields.include_data;
    request.options_json = fields.options_json;
    request.wait = fields.wait;
    request.target_database = fields.target_database != nullptr ? fields.target_database : "";
    request.caller_lock_timeout_ms = fields.caller_lock_timeout_ms;
    request.source_server = fields.source_server != nullptr ? fields.source_server : "";
    request.role_names = fields.role_names != nullptr ? fields.role_names : "";
    return client_send_payload(address, proto::MessageKind::kCloneRequest,
                               proto::pack_payload(request), true);
  } catch (const std::exception& e) {
    return client_send_error(e.what());
  } catch (...) {
    return client_send_error("unknown exception");
  }
}

}  // namespace pgclone::extension
