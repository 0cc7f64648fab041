#include "frontend/request_handler.h"

#include <nlohmann/json.hpp>

#include "cluster/worker_hub.h"
#include "pg/conninfo.h"
#include "pg/pg_error.h"
#include "pgclone/protocol/clone_options.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/role_names.h"
#include "pgclone/protocol/too_long.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/verify_options.h"
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

void check_name_length(const std::string& value, const char* what) {
  if (std::optional<protocol::ErrorInfo> too_long = protocol::identifier_too_long(value, what)) {
    throw pg::PgError(too_long->sqlstate, too_long->message, too_long->detail);
  }
}

void check_source_conninfo(const std::string& conninfo) {
  if (conninfo.size() > protocol::kMaxConninfoBytes) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "connection string is too long",
                      protocol::too_long_detail("connection string", conninfo.size(), protocol::kMaxConninfoBytes));
  }
  pg::validate_conninfo(conninfo);
}

// verify (pgclone.verify): options of its own; an empty schema is every user
// schema of the source. The job's clone options are the defaults.
protocol::CloneOptions validate_verify_request(const protocol::CloneRequest& request) {
  check_name_length(request.schema, "schema name");
  check_name_length(request.source_server, "server name");
  check_source_conninfo(request.source_conninfo);
  if (!request.table.empty() || !request.target_table.empty() || !request.target_database.empty() ||
      !request.role_names.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "verify takes no table, database or role names");
  }
  protocol::parse_verify_options(request.options_json);
  return protocol::CloneOptions{};
}

// Checks a clone request before it becomes a job (and before its caller is
// verified: garbage costs no database round trip), so a typo fails at once.
protocol::CloneOptions validate_clone_request(const protocol::CloneRequest& request) {
  if (request.operation == protocol::kOpVerify) return validate_verify_request(request);
  const std::optional<protocol::CloneScope> scope = protocol::scope_for_operation(request.operation);
  if (!scope) {
    throw pg::PgError(sqlstate::kFeatureNotSupported,
                      "clone operation \"" + request.operation + "\" is not supported by this agent");
  }
  const bool needs_schema = request.operation == protocol::kOpTable ||
                            request.operation == protocol::kOpSchema ||
                            request.operation == protocol::kOpFunctions ||
                            request.operation == protocol::kOpDiscover ||
                            request.operation == protocol::kOpTableSample ||
                            request.operation == protocol::kOpSchemaSample ||
                            request.operation == protocol::kOpDiff ||
                            request.operation == protocol::kOpPreflight;
  if (needs_schema && request.schema.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "schema name must not be empty");
  }
  if ((request.operation == protocol::kOpTable || request.operation == protocol::kOpTableSample) &&
      request.table.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "table name must not be empty");
  }
  if (request.operation == protocol::kOpDatabaseCreate && request.target_database.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "target database name must not be empty");
  }
  check_name_length(request.schema, "schema name");
  check_name_length(request.table, "table name");
  check_name_length(request.target_table, "target table name");
  check_name_length(request.target_database, "database name");
  check_name_length(request.source_server, "server name");
  check_source_conninfo(request.source_conninfo);
  if (request.operation == protocol::kOpRoles) protocol::parse_role_names(request.role_names);
  else if (!request.role_names.empty()) {
    throw pg::PgError(sqlstate::kInvalidParameterValue, "role names only apply to clone_roles");
  }
  return protocol::parse_clone_options(request.options_json, *scope);
}

std::string shutting_down_reply(std::uint64_t request_id) {
  return encode_error_reply(request_id, error_info(sqlstate::kAdminShutdown, "pgclone agent is shutting down", "",
                                                   "Run the clone again once the agent is back."));
}

std::string cancel_reply(std::uint64_t request_id, std::int64_t job_id, jobs::CancelResult result,
                         const jobs::LocalBackend& local = {}) {
  protocol::CancelReply reply;
  switch (result) {
    case jobs::CancelResult::kLocalBackend:
      // The extension signals the backend and words the final answer.
      reply.message = "pgclone job " + std::to_string(job_id) + " runs in backend " +
                      std::to_string(local.backend_pid) + " of database \"" + local.database + "\"";
      reply.backend_pid = local.backend_pid;
      reply.database_oid = local.database_oid;
      reply.database = local.database;
      reply.schema = local.schema;
      reply.table = local.table;
      break;
    case jobs::CancelResult::kCancelRequested:
      reply.cancelled = true;
      reply.message = "cancel requested for job " + std::to_string(job_id);
      break;
    case jobs::CancelResult::kAlreadyFinished:
      reply.message = "job " + std::to_string(job_id) + " has already finished";
      break;
    case jobs::CancelResult::kNotFound:
      return encode_error_reply(request_id, error_info(sqlstate::kUndefinedObject,
                                                       "pgclone job " + std::to_string(job_id) + " does not exist"));
  }
  return encode_reply(MessageKind::kCancelReply, request_id, reply);
}

}  // namespace

std::string encode_error_reply(std::uint64_t request_id, const protocol::ErrorInfo& error) {
  return encode_reply(MessageKind::kErrorReply, request_id, error);
}

std::string guarded_reply(std::uint64_t request_id, const std::function<std::string()>& make_reply) {
  try {
    return make_reply();
  } catch (const protocol::ProtocolError& e) {
    static log::Throttle throttle;  // an authenticated peer may send garbage in a loop
    throttle.warn(std::string("rejected a request: ") + e.what());
    return encode_error_reply(request_id, error_info(e.sqlstate.c_str(), e.what()));
  } catch (const protocol::OptionsError& e) {
    return encode_error_reply(request_id, error_info(e.sqlstate.c_str(), e.what(), e.detail, e.hint));
  } catch (const pg::PgError& e) {
    return encode_error_reply(request_id, error_info(e.sqlstate.c_str(), e.message, e.detail, e.hint));
  } catch (const jobs::JobRequestError& e) {
    return encode_error_reply(request_id, error_info(e.sqlstate.c_str(), e.what(), e.detail, e.hint));
  } catch (const std::exception& e) {
    log::error("failed to handle a request: ", e.what());
    return encode_error_reply(
        request_id, error_info(sqlstate::kInternalError, std::string("internal error in pgclone agent: ") + e.what()));
  }
}

RequestHandler::RequestHandler(jobs::JobManager& manager, std::string endpoint, RequestHandlerDeps deps)
    : manager_(manager),
      endpoint_(std::move(endpoint)),
      deps_(std::move(deps)),
      started_(std::chrono::steady_clock::now()) {}

std::string RequestHandler::handle(const std::string& identity, const std::string& client_key,
                                   const std::vector<std::string>& frames) {
  if (frames.size() != 2) {
    rejections_.warn("dropped a message with " + std::to_string(frames.size()) + " frames (expected 2)");
    return "";
  }
  protocol::Envelope envelope;
  try {
    protocol::check_protocol_tag(frames[0]);
    envelope = protocol::decode_envelope(frames[1]);
  } catch (const protocol::ProtocolError& e) {
    rejections_.warn(std::string("rejected a message: ") + e.what());
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
  return guarded_reply(envelope.request_id, [&] {
    // The enrolment may have changed since this connection's handshake.
    const std::shared_ptr<const trust::Enrolment> enrolment = deps_.enrolment();
    const trust::EnrolledServer* server = enrolment ? enrolment->by_key(client_key) : nullptr;
    if (server == nullptr) {
      return encode_error_reply(envelope.request_id,
                                error_info(sqlstate::kInvalidAuthorization,
                                           "this server's key is no longer enrolled with the pgclone agent", "",
                                           "Enrol the key of pgclone.key_file in the agent's --servers file."));
    }
    return handle_envelope(identity, *server, envelope);
  });
}

// Each request is decoded and checked once; what it does runs once its
// caller is verified (a verifier thread), on what was decoded here.
std::string RequestHandler::handle_envelope(const std::string& identity, const trust::EnrolledServer& server,
                                            const protocol::Envelope& envelope) {
  const std::uint64_t id = envelope.request_id;
  switch (envelope.message_kind()) {
    case MessageKind::kStatusRequest:
      (void)protocol::unpack_payload<protocol::StatusRequest>(envelope);
      return encode_reply(MessageKind::kStatusReply, id, protocol::StatusReply{status_json(server.name)});
    case MessageKind::kCloneRequest: {
      auto request = std::make_shared<protocol::CloneRequest>(protocol::unpack_payload<protocol::CloneRequest>(envelope));
      if (shutting_down_) return shutting_down_reply(id);
      auto options = std::make_shared<protocol::CloneOptions>(validate_clone_request(*request));
      return verify_then(identity, server, id, request->caller, [this, identity, id, request, options](const jobs::JobOwner& caller) {
        if (shutting_down_) return shutting_down_reply(id);  // it may have begun meanwhile
        std::optional<jobs::Waiter> waiter;
        if (request->wait) waiter = jobs::Waiter{identity, id};
        const auto job = manager_.submit(std::move(*request), std::move(*options), caller, identity, waiter);
        return encode_reply(MessageKind::kJobAccepted, id, protocol::JobAccepted{job->id()});
      });
    }
    case MessageKind::kResumeRequest: {
      const auto request = protocol::unpack_payload<protocol::ResumeRequest>(envelope);
      if (!request.source_conninfo.empty()) check_source_conninfo(request.source_conninfo);
      return verify_then(identity, server, id, request.caller, [this, identity, id, request](const jobs::JobOwner& caller) {
        if (shutting_down_) return shutting_down_reply(id);
        const auto job = manager_.resume(request.job_id, caller, identity, request.source_conninfo);
        return encode_reply(MessageKind::kJobAccepted, id, protocol::JobAccepted{job->id()});
      });
    }
    case MessageKind::kCancelRequest: {
      const auto request = protocol::unpack_payload<protocol::CancelRequest>(envelope);
      if (request.caller.proof.empty()) {
        // The connection cancels a job it submitted itself (its caller's
        // transaction may be aborting: no proof is possible any more).
        return cancel_reply(id, request.job_id,
                            manager_.cancel_for_submitter(request.job_id, jobs::Waiter{identity, request.request_id}));
      }
      return verify_then(identity, server, id, request.caller, [this, id, request](const jobs::JobOwner& caller) {
        jobs::LocalBackend local;
        const jobs::CancelResult result = manager_.cancel(request.job_id, caller, &local);
        return cancel_reply(id, request.job_id, result, local);
      });
    }
    case MessageKind::kJobsRequest: {
      const auto request = protocol::unpack_payload<protocol::JobsRequest>(envelope);
      return verify_then(identity, server, id, request.caller, [this, id, request](const jobs::JobOwner& caller) {
        return encode_reply(MessageKind::kJobsReply, id, protocol::JobsReply{manager_.list(caller, request.job_id)});
      });
    }
    case MessageKind::kWaitRequest: {
      const auto request = protocol::unpack_payload<protocol::WaitRequest>(envelope);
      return verify_then(identity, server, id, request.caller, [this, identity, id, request](const jobs::JobOwner& caller) {
        // Progress and the final JobFinished reach the waiter through the outbox.
        manager_.wait(request.job_id, caller, jobs::Waiter{identity, id});
        return encode_reply(MessageKind::kJobAccepted, id, protocol::JobAccepted{request.job_id});
      });
    }
    case MessageKind::kLocalJobStart: {
      auto request = std::make_shared<protocol::LocalJobStart>(protocol::unpack_payload<protocol::LocalJobStart>(envelope));
      if (request->operation != protocol::kOpMaskInPlace) {
        throw pg::PgError(sqlstate::kFeatureNotSupported,
                          "local job operation \"" + request->operation + "\" is not supported by this agent");
      }
      check_name_length(request->schema, "schema name");
      check_name_length(request->table, "table name");
      check_name_length(request->phase, "phase");
      if (shutting_down_) return shutting_down_reply(id);
      return verify_then(identity, server, id, request->caller, [this, identity, id, request](const jobs::JobOwner& caller) {
        if (shutting_down_) return shutting_down_reply(id);
        const auto job = manager_.register_local(*request, caller, identity);
        return encode_reply(MessageKind::kJobAccepted, id, protocol::JobAccepted{job->id()});
      });
    }
    case MessageKind::kLocalJobEnd: {
      // From the connection that registered the job: no caller proof (the
      // calling transaction may be aborting), as a submitter's cancel.
      auto request = protocol::unpack_payload<protocol::LocalJobEnd>(envelope);
      // What the backend reports is kept in the job store and shown in the
      // job views: bounded like every message the agent records.
      for (std::string* text : {&request.result_text, &request.error.message, &request.error.detail,
                                &request.error.hint, &request.error.context})
        *text = log::truncate_message(*text);
      if (request.error.sqlstate.size() != 5 && !request.error.sqlstate.empty()) request.error.sqlstate = "XX000";
      return encode_reply(MessageKind::kJobFinished, id, manager_.finish_local(request, identity));
    }
    case MessageKind::kClearRequest: {
      const auto request = protocol::unpack_payload<protocol::ClearRequest>(envelope);
      return verify_then(identity, server, id, request.caller, [this, id](const jobs::JobOwner& caller) {
        return encode_reply(MessageKind::kClearReply, id, protocol::ClearReply{manager_.clear(caller)});
      });
    }
    default:
      throw protocol::ProtocolError(sqlstate::kProtocolViolation,
                                    "unexpected message kind " + std::to_string(envelope.kind));
  }
}

std::string RequestHandler::verify_then(const std::string& identity, const trust::EnrolledServer& server,
                                        std::uint64_t request_id, const protocol::Caller& caller, Action act) {
  auto done = [this, identity, request_id, act = std::move(act)](const jobs::JobOwner* owner,
                                                                 const protocol::ErrorInfo& error) {
    std::string reply = owner == nullptr ? encode_error_reply(request_id, error)
                                         : guarded_reply(request_id, [&] { return act(*owner); });
    deps_.reply_later(identity, std::move(reply));
  };
  if (!deps_.verify(server, caller, std::move(done))) {
    return encode_error_reply(request_id,
                              error_info(sqlstate::kTooManyConnections, "pgclone agent is busy",
                                         "Too many requests are waiting to have their caller verified.",
                                         "Try again in a moment."));
  }
  return "";
}

// The job counts are those of the asking server's callers: other servers'
// activity is none of its business.
std::string RequestHandler::status_json(const std::string& server) const {
  const jobs::JobCounts counts = manager_.counts(server);
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
  // A coordinator: the worker agents joined now (cluster/worker_hub.h).
  if (const cluster::WorkerHub* hub = cluster::worker_hub()) {
    nlohmann::json workers = nlohmann::json::array();
    for (const cluster::WorkerStatus& w : hub->workers()) {
      workers.push_back({{"name", w.name},
                         {"address", w.address},
                         {"slots", w.slots},
                         {"busy", w.busy},
                         {"draining", w.draining},
                         {"tasks_done", w.tasks_done},
                         {"tasks_failed", w.tasks_failed},
                         {"last_heartbeat_ms_ago", w.last_heartbeat_ms_ago}});
    }
    const cluster::HubCounters counters = hub->counters();
    status["worker_agents"] = workers;
    status["coordinator"] = {{"name", cluster::local_host_name()},
                             {"loads_tables", cluster::local_loads()},
                             {"tasks_retried", counters.tasks_retried},
                             {"workers_lost", counters.workers_lost}};
  }
  return status.dump();
}

}  // namespace pgclone::agent::frontend
