#include "cluster/worker_agent.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <mutex>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "cluster/remote_task.h"
#include "ops/config_reload.h"
#include "frontend/outbox.h"
#include "jobs/job_manager.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/sqlstate.h"
#include "pgclone/protocol/version.h"
#include "pgclone/protocol/worker_messages.h"
#include "util/log.h"

namespace pgclone::agent::cluster {
namespace {

using Clock = std::chrono::steady_clock;
using protocol::MessageKind;

// Until the welcome names the coordinator's intervals.
constexpr auto kHelloInterval = std::chrono::milliseconds(1000);
constexpr auto kDefaultHeartbeat = std::chrono::milliseconds(500);
constexpr auto kDefaultTimeout = std::chrono::milliseconds(3000);

struct RunningTask {
  std::unique_ptr<jobs::Job> job;
  std::thread thread;
};

std::string routing_id() {
  std::random_device random;
  char id[24];
  std::snprintf(id, sizeof id, "w-%08x%08x", random(), random());
  return id;
}

class WorkerAgent {
 public:
  WorkerAgent(const WorkerAgentConfig& config, std::shared_ptr<const trust::Enrolment> enrolment)
      : config_(config), enrolment_(std::move(enrolment)), socket_(context_, zmq::socket_type::dealer) {}

  // run() returns with every task ended; after an error it did not, so
  // the tasks are stopped (they roll back) and waited for here.
  ~WorkerAgent() {
    stop_all(jobs::StopReason::kShutdown);
    for (auto& [task_id, task] : running_) {
      if (task.thread.joinable()) task.thread.join();
    }
  }
  WorkerAgent(const WorkerAgent&) = delete;
  WorkerAgent& operator=(const WorkerAgent&) = delete;

  void run() {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::maxmsgsize, protocol::kMaxMessageBytes);
    socket_.set(zmq::sockopt::curve_serverkey, config_.coordinator_public_key);
    socket_.set(zmq::sockopt::curve_publickey, config_.key.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, config_.key.secret_key);
    // Messages to a coordinator that is away are not kept for it: the
    // heartbeat and hello say everything again once it is back.
    socket_.set(zmq::sockopt::immediate, true);
    socket_.set(zmq::sockopt::reconnect_ivl, 200);
    socket_.set(zmq::sockopt::reconnect_ivl_max, 2000);
    socket_.set(zmq::sockopt::heartbeat_ivl, 1000);
    socket_.set(zmq::sockopt::heartbeat_timeout, 3000);
    // The same routing id on every reconnection (the coordinator's ROUTER
    // hands the old pipe over): one entry per worker process there.
    socket_.set(zmq::sockopt::routing_id, routing_id());
    socket_.connect(config_.coordinator);
    log::info("worker agent ", config_.name, " joining ", config_.coordinator, " with ", config_.slots,
              " slots (CURVE public key ", config_.key.public_key, ")");
    auto next_hello = Clock::now();
    auto next_beat = Clock::now();
    for (;;) {
      zmq::pollitem_t items[] = {{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0},
                                 {nullptr, results_.fd(), ZMQ_POLLIN, 0},
                                 {nullptr, config_.signal_fd, ZMQ_POLLIN, 0}};
      try {
        zmq::poll(items, 3, std::chrono::milliseconds(100));
      } catch (const zmq::error_t& e) {
        if (e.num() == EINTR) continue;
        throw;
      }
      if (items[2].revents & ZMQ_POLLIN) on_signal();
      if (items[0].revents & ZMQ_POLLIN) receive();
      if (items[1].revents & ZMQ_POLLIN) {
        for (const frontend::OutgoingMessage& message : results_.drain()) send_body(message.body);
      }
      reap_finished();
      if (config_.counters != nullptr) {
        config_.counters->slots = config_.slots;
        config_.counters->busy = static_cast<int>(running_.size());
        config_.counters->joined = welcomed_;
      }
      const auto now = Clock::now();
      if (welcomed_ && now - last_heard_ > timeout_) {
        log::warn("coordinator silent for ", timeout_.count(), " ms: stopping ", running_.size(),
                  " tasks (it redoes them) and joining again");
        welcomed_ = false;
        stop_all(jobs::StopReason::kCancelled);
      }
      if (!welcomed_ && now >= next_hello && !draining_) {
        send(MessageKind::kWorkerHello,
             protocol::pack_payload(protocol::WorkerHello{config_.name, config_.slots, protocol::kProductVersion}));
        next_hello = now + kHelloInterval;
      }
      if (welcomed_ && now >= next_beat) {
        heartbeat();
        next_beat = now + heartbeat_;
      }
      if (draining_ && running_.empty()) break;
    }
    if (welcomed_) heartbeat(/*leaving=*/true);
    log::info("worker agent ", config_.name, " stopped");
  }

 private:
  void on_signal() {
    signalfd_siginfo info{};
    if (read(config_.signal_fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return;
    if (info.ssi_signo == SIGHUP) {
      ops::reload_log_level(config_.config_file);
      try {
        enrolment_ = std::make_shared<const trust::Enrolment>(trust::Enrolment::load(config_.servers_file));
        log::info("reloaded ", config_.servers_file, ": ", enrolment_->size(), " servers");
      } catch (const std::exception& e) {
        log::error("reload failed, the previous servers stay in force: ", e.what());
      }
      return;
    }
    if (info.ssi_signo == SIGTERM && !draining_) {
      draining_ = true;
      log::info("received SIGTERM: draining (", running_.size(), " tasks still running; SIGTERM again stops them)");
      if (welcomed_) heartbeat();
      return;
    }
    log::info("received signal ", info.ssi_signo, ": stopping ", running_.size(), " tasks");
    draining_ = true;
    stop_all(jobs::StopReason::kShutdown);
  }

  void send_body(const std::string& body) {
    try {
      const std::string tag = protocol::protocol_tag();
      if (!socket_.send(zmq::buffer(tag), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
          !socket_.send(zmq::buffer(body), zmq::send_flags::dontwait)) {
        log::debug("a message to the coordinator was dropped: not connected");
      }
    } catch (const zmq::error_t& e) {
      log::debug("a message to the coordinator was dropped: ", e.what());
    }
  }

  void send(MessageKind kind, const std::string& payload) { send_body(protocol::encode_packed(kind, payload)); }

  void heartbeat(bool leaving = false) {
    protocol::WorkerHeartbeat beat;
    beat.draining = draining_;
    beat.leaving = leaving;
    for (const auto& [task_id, task] : running_) {
      const protocol::JobProgress progress = task.job->progress();
      beat.tasks.push_back(protocol::TaskProgress{task_id, progress.rows_copied, progress.bytes_copied});
    }
    send(MessageKind::kWorkerHeartbeat, protocol::pack_payload(beat));
  }

  void receive() {
    for (int i = 0; i < 256; ++i) {
      std::vector<zmq::message_t> frames;
      for (;;) {
        zmq::message_t part;
        if (!socket_.recv(part, zmq::recv_flags::dontwait)) break;
        const bool more = part.more();
        if (frames.size() < 3) frames.push_back(std::move(part));
        if (!more) break;
      }
      if (frames.empty()) return;
      if (frames.size() != 2) continue;
      try {
        protocol::check_protocol_tag(frames[0].to_string_view());
        handle(protocol::decode_envelope(frames[1].to_string_view()));
      } catch (const std::exception& e) {
        log::warn("dropped a malformed message from the coordinator: ", e.what());
      }
    }
  }

  void handle(const protocol::Envelope& envelope) {
    last_heard_ = Clock::now();
    switch (envelope.message_kind()) {
      case MessageKind::kWorkerWelcome: {
        const auto welcome = protocol::unpack_payload<protocol::WorkerWelcome>(envelope);
        heartbeat_ = std::chrono::milliseconds(std::clamp(welcome.heartbeat_ms, 50, 10000));
        timeout_ = std::chrono::milliseconds(std::clamp(welcome.timeout_ms, 500, 120000));
        welcomed_ = true;
        log::info("joined coordinator ", welcome.coordinator, " (heartbeat ", heartbeat_.count(), " ms)");
        return;
      }
      case MessageKind::kWorkerUnknown:
        if (welcomed_) log::warn("the coordinator does not know this worker (it restarted?): joining again");
        welcomed_ = false;
        stop_all(jobs::StopReason::kCancelled);
        return;
      case MessageKind::kCoordinatorHeartbeat: {
        const auto beat = protocol::unpack_payload<protocol::CoordinatorHeartbeat>(envelope);
        const std::set<std::uint64_t> wanted(beat.tasks.begin(), beat.tasks.end());
        for (auto& [task_id, task] : running_) {
          if (!wanted.count(task_id) && !task.job->stop_requested()) {
            log::warn("job ", task.job->id(), ": task ", task_id, " was given up by the coordinator: stopping it");
            task.job->request_stop(jobs::StopReason::kCancelled);
          }
        }
        return;
      }
      case MessageKind::kTaskCancel: {
        const auto cancel = protocol::unpack_payload<protocol::TaskCancel>(envelope);
        auto found = running_.find(cancel.task_id);
        if (found != running_.end()) found->second.job->request_stop(jobs::StopReason::kCancelled);
        return;
      }
      case MessageKind::kTaskAssign:
        start(protocol::unpack_payload<protocol::TaskAssign>(envelope));
        return;
      default:
        log::warn("the coordinator sent an unexpected ", protocol::message_kind_name(envelope.message_kind()));
    }
  }

  void start(protocol::TaskAssign task) {
    if (!welcomed_ || draining_ || static_cast<int>(running_.size()) >= config_.slots ||
        running_.count(task.task_id)) {
      // Not started: the coordinator may hand it to another slot at once.
      refuse(task, protocol::ErrorInfo{protocol::sqlstate::kTooManyConnections,
                                       "worker agent " + config_.name + " has no free slot", "", "", ""},
             /*retry_elsewhere=*/true);
      return;
    }
    std::unique_ptr<jobs::Job> job;
    try {
      job = job_for_task(task, *enrolment_);
    } catch (const jobs::JobRequestError& e) {
      // Another worker would fail alike (or the coordinator speaks another
      // version): the job fails, naming why.
      refuse(task, protocol::ErrorInfo{e.sqlstate, e.what(), e.detail, e.hint, ""}, false);
      return;
    } catch (const std::exception& e) {
      refuse(task, protocol::ErrorInfo{protocol::sqlstate::kProtocolViolation, e.what(), "", "", ""}, false);
      return;
    }
    log::info("job ", task.job_id, ": task ", task.task_id, " ", protocol::task_summary(task),
              task.redo ? " (again)" : "");
    RunningTask& running = running_[task.task_id];
    running.job = std::move(job);
    jobs::Job* job_ptr = running.job.get();
    running.thread = std::thread([this, job_ptr, task = std::move(task)] {
      const protocol::TaskResult result = run_task(task, *job_ptr);
      if (config_.counters != nullptr) {
        ++(result.ok ? config_.counters->tasks_done : config_.counters->tasks_failed);
        config_.counters->rows_copied += result.rows;
      }
      if (result.ok) {
        log::info("job ", task.job_id, ": task ", task.task_id, " done",
                  task.kind == protocol::kTaskLoadTable ? ": " + std::to_string(result.rows) + " rows" : "");
      } else {
        log::warn("job ", task.job_id, ": task ", task.task_id, " failed: ", result.error.message);
      }
      {
        std::lock_guard<std::mutex> lock(finished_mutex_);
        finished_.push_back(task.task_id);
      }
      results_.push({"", protocol::encode_packed(MessageKind::kTaskResult, protocol::pack_payload(result))});
    });
  }

  void refuse(const protocol::TaskAssign& task, protocol::ErrorInfo error, bool retry_elsewhere) {
    log::warn("job ", task.job_id, ": refused task ", task.task_id, ": ", error.message);
    protocol::TaskResult result;
    result.task_id = task.task_id;
    result.refused = retry_elsewhere;
    result.error = std::move(error);
    send(MessageKind::kTaskResult, protocol::pack_payload(result));
  }

  void reap_finished() {
    std::vector<std::uint64_t> finished;
    {
      std::lock_guard<std::mutex> lock(finished_mutex_);
      finished.swap(finished_);
    }
    for (std::uint64_t task_id : finished) {
      auto found = running_.find(task_id);
      if (found == running_.end()) continue;
      found->second.thread.join();
      running_.erase(found);
    }
  }

  void stop_all(jobs::StopReason reason) {
    for (auto& [task_id, task] : running_) task.job->request_stop(reason);
  }

  const WorkerAgentConfig& config_;
  std::shared_ptr<const trust::Enrolment> enrolment_;
  zmq::context_t context_{1};
  zmq::socket_t socket_;
  frontend::Outbox results_;  // finished tasks' results, sent by this thread
  std::mutex finished_mutex_;
  std::vector<std::uint64_t> finished_;
  std::map<std::uint64_t, RunningTask> running_;
  bool welcomed_ = false;
  bool draining_ = false;
  Clock::time_point last_heard_ = Clock::now();
  std::chrono::milliseconds heartbeat_ = kDefaultHeartbeat;
  std::chrono::milliseconds timeout_ = kDefaultTimeout;
};

}  // namespace

void run_worker_agent(const WorkerAgentConfig& config, std::shared_ptr<const trust::Enrolment> enrolment) {
  WorkerAgent(config, std::move(enrolment)).run();
}

}  // namespace pgclone::agent::cluster
