#include "frontend/request_handler.h"

#include <nlohmann/json.hpp>

#include "pg/conninfo.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/version.h"
#include "util/log.h"

namespace pgclone::agent::frontend {
namespace {

namespace sqlstate = protocol::sqlstate;
using protocol::MessageKind;

template <typename Payload>
std::string encode_reply(MessageKind kind, std::uint64_t request_id, const Payload& payload) {
  return protocol::encode_envelope(protocol::make_envelope(kind, request_id, payload));
}

protocol::ErrorInfo error_info(const char* code, std::string message, std::string detail = {},
                               std::string hint = {}) {
  return protocol::ErrorInfo{code, std::move(message), std::move(detail), std::move(hint), ""};
}

// Checks a clone request before it becomes a job, so a typo fails at once.
protocol::CloneOptions validate_clone_request(const protocol::CloneRequest& request) {
  const std::optional<protocol::CloneScope> scope = protocol::scope_for_operation(request.operation);
  if (!scope) {
    throw pg::PgError(sqlstate::kFeatureNotSupported,
                      "clone operation \"" + request.operation + "\" is not supported by this agent");
  }
  if (request.caller.session_user.empty() || request.caller.current_user.empty()) {
    throw pg::PgError(sqlstate::kProtocolViolation, "clone request names no calling role");
  }
  const bool needs_schema = request.operation == protocol::kOpTable ||
                            request.operation == protocol::kOpSchema ||
                            request.operation == protocol::kOpFunctions;
  if (needs_schema && request.schema.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "schema name must not be empty");
  }
  if (request.operation == protocol::kOpTable && request.table.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "table name must not be empty");
  }
  if (request.operation == protocol::kOpDatabaseCreate && request.target_database.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "target database name must not be empty");
  }
  pg::validate_conninfo(request.source_conninfo);
  pg::validate_conninfo(request.target_conninfo);
  return protocol::parse_clone_options(request.options_json, *scope);
}

}  // namespace

std::string encode_error_reply(std::uint64_t request_id, const protocol::ErrorInfo& error) {
  return encode_reply(MessageKind::kErrorReply, request_id, error);
}

RequestHandler::RequestHandler(jobs::JobManager& manager, std::string endpoint)
    : manager_(manager), endpoint_(std::move(endpoint)), started_(std::chrono::steady_clock::now()) {}

std::string RequestHandler::handle(const std::string& identity,
                                   const std::vector<std::string>& frames) {
  if (frames.size() != 2) {
    log::warn("dropped a message with ", frames.size(), " frames (expected 2)");
    return "";
  }
  protocol::Envelope envelope;
  try {
    protocol::check_protocol_tag(frames[0]);
    envelope = protocol::decode_envelope(frames[1]);
  } catch (const protocol::ProtocolError& e) {
    log::warn("rejected a message: ", e.what());
    // Answer when the request id can still be read, so the caller sees why.
    std::uint64_t request_id = 0;
    try {
      msgpack::object_handle handle = protocol::unpack_limited(frames[1]);
      protocol::Envelope partial;
      handle.get().convert(partial);
      request_id = partial.request_id;
    } catch (const std::exception&) {
      return "";
    }
    return encode_error_reply(request_id, error_info(e.sqlstate.c_str(), e.what()));
  }
  try {
    return handle_envelope(identity, envelope);
  } catch (const protocol::ProtocolError& e) {
    log::warn("rejected a ", protocol::message_kind_name(envelope.message_kind()), ": ", e.what());
    return encode_error_reply(envelope.request_id, error_info(e.sqlstate.c_str(), e.what()));
  } catch (const protocol::OptionsError& e) {
    return encode_error_reply(envelope.request_id,
                              error_info(e.sqlstate.c_str(), e.what(), e.detail, e.hint));
  } catch (const pg::PgError& e) {
    return encode_error_reply(envelope.request_id,
                              error_info(e.sqlstate.c_str(), e.message, e.detail, e.hint));
  } catch (const jobs::JobRequestError& e) {
    return encode_error_reply(envelope.request_id, error_info(e.sqlstate.c_str(), e.what(), e.detail, e.hint));
  } catch (const std::exception& e) {
    log::error("failed to handle a request: ", e.what());
    return encode_error_reply(
        envelope.request_id,
        error_info(sqlstate::kInternalError, std::string("internal error in pgclone agent: ") + e.what()));
  }
}

std::string RequestHandler::handle_envelope(const std::string& identity,
                                            const protocol::Envelope& envelope) {
  switch (envelope.message_kind()) {
    case MessageKind::kStatusRequest: {
      (void)protocol::unpack_payload<protocol::StatusRequest>(envelope);
      return encode_reply(MessageKind::kStatusReply, envelope.request_id,
                          protocol::StatusReply{status_json()});
    }
    case MessageKind::kCloneRequest: {
      auto request = protocol::unpack_payload<protocol::CloneRequest>(envelope);
      if (shutting_down_) {
        return encode_error_reply(envelope.request_id,
                                  error_info(sqlstate::kAdminShutdown, "pgclone agent is shutting down",
                                             "", "Run the clone again once the agent is back."));
      }
      protocol::CloneOptions options = validate_clone_request(request);
      std::optional<jobs::Waiter> waiter;
      if (request.wait) waiter = jobs::Waiter{identity, envelope.request_id};
      std::shared_ptr<jobs::Job> job = manager_.submit(std::move(request), std::move(options), waiter);
      return encode_reply(MessageKind::kJobAccepted, envelope.request_id,
                          protocol::JobAccepted{job->id()});
    }
    case MessageKind::kCancelRequest: {
      auto request = protocol::unpack_payload<protocol::CancelRequest>(envelope);
      protocol::CancelReply reply;
      const jobs::CancelResult result =
          request.job_id == 0
              ? manager_.cancel_for_waiter(jobs::Waiter{identity, request.request_id}, request.caller)
              : manager_.cancel(request.job_id, request.caller);
      switch (result) {
        case jobs::CancelResult::kCancelRequested:
          reply = {true, "cancel requested for job " + std::to_string(request.job_id)};
          break;
        case jobs::CancelResult::kAlreadyFinished:
          reply = {false, "job " + std::to_string(request.job_id) + " has already finished"};
          break;
        case jobs::CancelResult::kNotFound:
          return encode_error_reply(
              envelope.request_id,
              error_info(sqlstate::kUndefinedObject,
                         "pgclone job " + std::to_string(request.job_id) + " does not exist"));
      }
      return encode_reply(MessageKind::kCancelReply, envelope.request_id, reply);
    }
    case MessageKind::kJobsRequest: {
      auto request = protocol::unpack_payload<protocol::JobsRequest>(envelope);
      return encode_reply(MessageKind::kJobsReply, envelope.request_id,
                          protocol::JobsReply{manager_.list(request.caller, request.job_id)});
    }
    case MessageKind::kWaitRequest: {
      auto request = protocol::unpack_payload<protocol::WaitRequest>(envelope);
      // Progress and the final JobFinished reach the waiter through the outbox.
      manager_.wait(request.job_id, request.caller, jobs::Waiter{identity, envelope.request_id});
      return encode_reply(MessageKind::kJobAccepted, envelope.request_id, protocol::JobAccepted{request.job_id});
    }
    case MessageKind::kResumeRequest: {
      auto request = protocol::unpack_payload<protocol::ResumeRequest>(envelope);
      if (shutting_down_) {
        return encode_error_reply(envelope.request_id,
                                  error_info(sqlstate::kAdminShutdown, "pgclone agent is shutting down"));
      }
      std::shared_ptr<jobs::Job> job = manager_.resume(request.job_id, request.caller);
      return encode_reply(MessageKind::kJobAccepted, envelope.request_id, protocol::JobAccepted{job->id()});
    }
    case MessageKind::kClearRequest: {
      auto request = protocol::unpack_payload<protocol::ClearRequest>(envelope);
      return encode_reply(MessageKind::kClearReply, envelope.request_id,
                          protocol::ClearReply{manager_.clear(request.caller)});
    }
    default:
      throw protocol::ProtocolError(sqlstate::kProtocolViolation,
                                    "unexpected message kind " + std::to_string(envelope.kind));
  }
}

std::string RequestHandler::status_json() const {
  const jobs::JobCounts counts = manager_.counts();
  const auto uptime = std::chrono::steady_clock::now() - started_;
  nlohmann::json status = {
      {"agent_version", protocol::kProductVersion},
      {"protocol_version", protocol::kProtocolMajor},
      {"endpoint", endpoint_},
      {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
      {"workers",
       {{"total", counts.workers_total},
        {"busy", counts.workers_busy},
        {"idle", counts.workers_total - counts.workers_busy}}},
      {"jobs", counts.by_status},
  };
  return status.dump();
}

}  // namespace pgclone::agent::frontend
