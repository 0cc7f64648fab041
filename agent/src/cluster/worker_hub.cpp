#include "cluster/worker_hub.h"

#include <algorithm>
#include <random>

#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"
#include "util/log.h"
#include "util/throttled_log.h"

namespace pgclone::agent::cluster {

struct WorkerHub::Worker {
  std::string name;
  std::string address;
  int slots = 0;
  bool draining = false;
  // Its first heartbeat proves that our welcome reached it: only then does it
  // get tasks (after a partition one direction of a connection may come
  // back seconds before the other).
  bool acknowledged = false;
  std::set<std::uint64_t> tasks;
  std::int64_t tasks_done = 0;
  std::int64_t tasks_failed = 0;
  std::int64_t last_assigned = 0;
  std::chrono::steady_clock::time_point last_heard;
};

struct WorkerHub::InFlight {
  std::string worker;  // routing id
  std::string worker_name;
  jobs::Job* job = nullptr;
  std::int64_t rows = 0, bytes = 0;  // progress reported so far, added to the job
  bool cancel_sent = false;
  std::chrono::steady_clock::time_point assigned = std::chrono::steady_clock::now();
  std::optional<RemoteEnd> end;
  protocol::TaskResult result;
};

namespace {

std::int64_t ms_since(std::chrono::steady_clock::time_point then) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - then).count();
}


std::uint64_t random_task_id_base() {
  std::random_device random;
  return ((static_cast<std::uint64_t>(random()) << 32) | random()) & 0x7FFFFFFFFFFFFFFFull;
}

// Shown in logs, agent_status() and metric labels: printable ASCII only.
bool printable_name(const std::string& name) {
  return !name.empty() && name.size() <= protocol::kMaxWorkerNameBytes &&
         std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 127; });
}

struct Installed {
  WorkerHub* hub = nullptr;
  std::string name = "local";
  bool local_loads = true;
};
Installed& installed() {
  static Installed value;
  return value;
}

}  // namespace

void install_worker_hub(WorkerHub* hub, std::string local_name, bool local_loads) {
  installed() = Installed{hub, std::move(local_name), local_loads};
}
WorkerHub* worker_hub() { return installed().hub; }
const std::string& local_host_name() { return installed().name; }
bool local_loads() { return installed().local_loads; }

WorkerHub::WorkerHub(zmq::context_t& context, WorkerHubConfig config)
    : context_(context),
      config_(std::move(config)),
      // Unique across restarts, and not guessable: a lost worker's sessions
      // are found by the task id in their application_name.
      next_task_id_(random_task_id_base()) {}

WorkerHub::~WorkerHub() { stop(); }

std::uint64_t WorkerHub::next_task_id() { return ++next_task_id_; }

void WorkerHub::start() {
  auto socket = std::make_shared<zmq::socket_t>(context_, zmq::socket_type::router);
  socket->set(zmq::sockopt::maxmsgsize, protocol::kMaxMessageBytes);
  socket->set(zmq::sockopt::linger, 0);
  socket->set(zmq::sockopt::curve_server, true);
  socket->set(zmq::sockopt::curve_secretkey, config_.key.secret_key);
  socket->set(zmq::sockopt::zap_domain, kWorkerZapDomain);
  // A worker that restarts comes back with a new routing id; one that only
  // reconnected keeps its own and takes its old pipe over.
  socket->set(zmq::sockopt::router_handover, true);
  // ZeroMQ's own heartbeats drop a connection that went quiet, so that a
  // worker whose link came back reconnects at once instead of waiting out
  // TCP's retransmission back-off.
  socket->set(zmq::sockopt::heartbeat_ivl, 1000);
  socket->set(zmq::sockopt::heartbeat_timeout, 3000);
  socket->bind(config_.endpoint);
  log::info("worker endpoint ", config_.endpoint, " open (heartbeat ", config_.heartbeat.count(), " ms, a worker silent ",
            config_.timeout.count(), " ms is lost)");
  thread_ = std::thread([this, socket] { run(*socket); });
}

void WorkerHub::run(zmq::socket_t& socket) {
  try {
    while (!stop_) {
      zmq::pollitem_t items[] = {{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0},
                                 {nullptr, outbox_.fd(), ZMQ_POLLIN, 0}};
      zmq::poll(items, 2, std::chrono::milliseconds(100));
      if (items[0].revents & ZMQ_POLLIN) {
        for (int i = 0; i < 256; ++i) {
          std::vector<zmq::message_t> frames;
          std::string address;
          for (;;) {
            zmq::message_t part;
            if (!socket.recv(part, zmq::recv_flags::dontwait)) break;
            if (frames.size() == 1 && address.empty()) {
              const char* peer = part.gets("Peer-Address");
              if (peer != nullptr) address = peer;
            }
            const bool more = part.more();
            if (frames.size() < 4) frames.push_back(std::move(part));
            if (!more) break;
          }
          if (frames.empty()) break;
          if (frames.size() != 3) continue;  // identity, tag, body
          try {
            protocol::check_protocol_tag(frames[1].to_string_view());
            handle(frames[0].to_string(), address, protocol::decode_envelope(frames[2].to_string_view()));
          } catch (const std::exception& e) {
            log::warn("dropped a malformed message from worker ", address, ": ", e.what());
          }
        }
      }
      if (items[1].revents & ZMQ_POLLIN) {
        for (const frontend::OutgoingMessage& message : outbox_.drain()) {
          const std::string tag = protocol::protocol_tag();
          try {
            if (!socket.send(zmq::buffer(message.identity), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
                !socket.send(zmq::buffer(tag), zmq::send_flags::sndmore | zmq::send_flags::dontwait) ||
                !socket.send(zmq::buffer(message.body), zmq::send_flags::dontwait)) {
              log::debug("a message to a worker was dropped: it is not reading");
            }
          } catch (const zmq::error_t& e) {
            // EHOSTUNREACH: the worker has gone; the heartbeat timeout tells.
            log::debug("a message to a worker was dropped: ", e.what());
          }
        }
      }
      heartbeat_and_reap();
    }
  } catch (const zmq::error_t& e) {
    if (e.num() != ETERM) log::error("worker endpoint: ", e.what());
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> identities;
  for (const auto& [identity, worker] : workers_) identities.push_back(identity);
  for (const std::string& identity : identities) lose_worker(identity, "the coordinator is stopping");
}

void WorkerHub::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void WorkerHub::send(const std::string& identity, protocol::MessageKind kind, const std::string& payload) {
  outbox_.push({identity, protocol::encode_packed(kind, payload)});
}

std::string WorkerHub::welcome() const {
  return protocol::pack_payload(protocol::WorkerWelcome{config_.name, static_cast<std::int32_t>(config_.heartbeat.count()),
                                                        static_cast<std::int32_t>(config_.timeout.count())});
}

void WorkerHub::handle(const std::string& identity, const std::string& address, const protocol::Envelope& envelope) {
  using protocol::MessageKind;
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = workers_.find(identity);
  if (envelope.message_kind() == MessageKind::kWorkerHello) {
    const auto hello = protocol::unpack_payload<protocol::WorkerHello>(envelope);
    if (hello.slots < 1 || hello.slots > protocol::kMaxWorkerSlots || !printable_name(hello.name)) {
      log::warn("refused worker ", address, ": its hello offers ", hello.slots, " slots under a name of ",
                hello.name.size(), " bytes");
      return;
    }
    // Hello again from a known worker: it lost us and stopped what it ran.
    // (Several hellos queued while a link was down arrive at once.)
    const bool known = found != workers_.end();
    if (known && !found->second->acknowledged) {
      // Our welcome has not reached it yet: say it again, change nothing.
      found->second->last_heard = std::chrono::steady_clock::now();
      send(identity, MessageKind::kWorkerWelcome, welcome());
      return;
    }
    if (known) {
      if (!found->second->tasks.empty()) lose_worker(identity, "it joined again");
      else workers_.erase(found);
    }
    auto worker = std::make_unique<Worker>();
    worker->name = hello.name;
    worker->address = address;
    worker->slots = hello.slots;
    worker->last_heard = std::chrono::steady_clock::now();
    workers_[identity] = std::move(worker);
    if (known) {
      log::debug("worker ", hello.name, " (", address, ") said hello again");
    } else {
      log::info("worker ", hello.name, " (", address, ") joined with ", hello.slots, " slots");
    }
    changed_.notify_all();
    send(identity, MessageKind::kWorkerWelcome, welcome());
    return;
  }
  if (found == workers_.end()) {
    send(identity, MessageKind::kWorkerUnknown, protocol::pack_payload(protocol::WorkerUnknown{}));
    return;
  }
  Worker& worker = *found->second;
  worker.last_heard = std::chrono::steady_clock::now();
  switch (envelope.message_kind()) {
    case MessageKind::kWorkerHeartbeat: {
      const auto beat = protocol::unpack_payload<protocol::WorkerHeartbeat>(envelope);
      if (!worker.acknowledged) {
        worker.acknowledged = true;
        changed_.notify_all();
      }
      if (beat.draining && !worker.draining) {
        log::info("worker ", worker.name, " is draining: no new tasks for it");
        changed_.notify_all();
      }
      worker.draining = beat.draining;
      if (beat.leaving) {
        log::info("worker ", worker.name, " (", worker.address, ") left");
        lose_worker(identity, "it left");
        return;
      }
      // A task the worker does not run although it had time to get it (its
      // assignment or its result was dropped) is lost like a dead worker's.
      std::set<std::uint64_t> running;
      for (const protocol::TaskProgress& progress : beat.tasks) running.insert(progress.task_id);
      const std::set<std::uint64_t> out_there = worker.tasks;
      for (std::uint64_t task_id : out_there) {
        auto task = tasks_.find(task_id);
        if (task == tasks_.end() || running.count(task_id)) continue;
        if (std::chrono::steady_clock::now() - task->second->assigned > config_.timeout) {
          log::warn("worker ", worker.name, " is not running task ", task_id, " it was given: it will be redone");
          end_task(task_id, RemoteEnd::kLost, nullptr);
        }
      }
      for (const protocol::TaskProgress& progress : beat.tasks) {
        auto task = tasks_.find(progress.task_id);
        if (task == tasks_.end() || task->second->worker != identity || task->second->end) continue;
        InFlight& flight = *task->second;
        flight.job->add_rows(progress.rows - flight.rows);
        flight.job->add_bytes(progress.bytes - flight.bytes);
        flight.rows = progress.rows;
        flight.bytes = progress.bytes;
      }
      return;
    }
    case MessageKind::kTaskResult: {
      const auto result = protocol::unpack_payload<protocol::TaskResult>(envelope);
      auto task = tasks_.find(result.task_id);
      if (task == tasks_.end() || task->second->worker != identity) return;  // given up on already
      end_task(result.task_id, result.ok ? RemoteEnd::kDone : RemoteEnd::kFailed, &result);
      return;
    }
    default:
      log::warn("worker ", worker.name, " sent an unexpected ", protocol::message_kind_name(envelope.message_kind()));
  }
}

void WorkerHub::end_task(std::uint64_t task_id, RemoteEnd end, const protocol::TaskResult* result) {
  auto task = tasks_.find(task_id);
  if (task == tasks_.end()) return;
  std::shared_ptr<InFlight> flight = task->second;
  tasks_.erase(task);
  auto worker = workers_.find(flight->worker);
  if (worker != workers_.end()) {
    worker->second->tasks.erase(task_id);
    if (end == RemoteEnd::kDone) ++worker->second->tasks_done;
    if (end == RemoteEnd::kFailed) ++worker->second->tasks_failed;
  }
  // The worker's own count of the rows is exact once it committed; what it
  // reported of a failed or lost load rolled back.
  const std::int64_t rows = end == RemoteEnd::kDone ? result->rows : 0;
  const std::int64_t bytes = end == RemoteEnd::kDone ? result->bytes : 0;
  flight->job->add_rows(rows - flight->rows);
  flight->job->add_bytes(bytes - flight->bytes);
  flight->end = end;
  if (result != nullptr) flight->result = *result;
  changed_.notify_all();
}

void WorkerHub::lose_worker(const std::string& identity, const std::string& why) {
  auto found = workers_.find(identity);
  if (found == workers_.end()) return;
  const std::set<std::uint64_t> tasks = found->second->tasks;
  if (!tasks.empty() || why.rfind("no heartbeat", 0) == 0) {
    log::warn("worker ", found->second->name, " (", found->second->address, ") lost: ", why, "; ", tasks.size(),
              " of its tasks will be redone");
    ++counters_.workers_lost;
  }
  for (std::uint64_t task_id : tasks) end_task(task_id, RemoteEnd::kLost, nullptr);
  workers_.erase(found);
  changed_.notify_all();
}

void WorkerHub::heartbeat_and_reap() {
  if (std::chrono::steady_clock::now() < next_beat_) return;
  next_beat_ = std::chrono::steady_clock::now() + config_.heartbeat;
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> silent;
  for (const auto& [identity, worker] : workers_) {
    if (ms_since(worker->last_heard) > config_.timeout.count()) {
      silent.push_back(identity);
      continue;
    }
    protocol::CoordinatorHeartbeat beat;
    beat.tasks.assign(worker->tasks.begin(), worker->tasks.end());
    send(identity, protocol::MessageKind::kCoordinatorHeartbeat, protocol::pack_payload(beat));
  }
  for (const std::string& identity : silent) {
    lose_worker(identity, "no heartbeat for " + std::to_string(config_.timeout.count()) + " ms");
  }
}

bool WorkerHub::any_worker() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !workers_.empty();
}

bool WorkerHub::wait_for_free_slot(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, wait, [this] {
    return std::any_of(workers_.begin(), workers_.end(), [](const auto& entry) {
      const Worker& w = *entry.second;
      return w.acknowledged && !w.draining && static_cast<int>(w.tasks.size()) < w.slots;
    });
  });
}

std::optional<RemoteOutcome> WorkerHub::try_run(protocol::TaskAssign task, jobs::Job& job,
                                                const std::function<bool()>& stopped) {
  std::unique_lock<std::mutex> lock(mutex_);
  Worker* chosen = nullptr;
  std::string chosen_identity;
  for (auto& [identity, worker] : workers_) {
    const int free = worker->slots - static_cast<int>(worker->tasks.size());
    if (!worker->acknowledged || worker->draining || free <= 0) continue;
    const int chosen_free = chosen ? chosen->slots - static_cast<int>(chosen->tasks.size()) : 0;
    if (!chosen || free > chosen_free || (free == chosen_free && worker->last_assigned < chosen->last_assigned)) {
      chosen = worker.get();
      chosen_identity = identity;
    }
  }
  if (!chosen) return std::nullopt;
  if (stop_) return std::nullopt;
  auto flight = std::make_shared<InFlight>();
  flight->worker = chosen_identity;
  flight->worker_name = chosen->name;
  flight->job = &job;
  const std::uint64_t task_id = task.task_id;
  tasks_[task_id] = flight;
  chosen->tasks.insert(task_id);
  chosen->last_assigned = ++assignments_;
  send(chosen_identity, protocol::MessageKind::kTaskAssign, protocol::pack_payload(task));
  log::debug("job ", job.id(), ": task ", task_id, " (", protocol::task_summary(task), ") to worker ", chosen->name);
  while (!flight->end) {
    changed_.wait_for(lock, std::chrono::milliseconds(100));
    if (!flight->end && !flight->cancel_sent && stopped()) {
      flight->cancel_sent = true;
      send(flight->worker, protocol::MessageKind::kTaskCancel, protocol::pack_payload(protocol::TaskCancel{task_id}));
    }
  }
  RemoteOutcome outcome;
  outcome.end = *flight->end;
  outcome.worker = flight->worker_name;
  outcome.result = flight->result;
  return outcome;
}

std::vector<WorkerStatus> WorkerHub::workers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<WorkerStatus> out;
  for (const auto& [identity, worker] : workers_) {
    out.push_back(WorkerStatus{worker->name, worker->address, worker->slots, static_cast<int>(worker->tasks.size()),
                               worker->draining, worker->tasks_done, worker->tasks_failed,
                               ms_since(worker->last_heard)});
  }
  std::sort(out.begin(), out.end(), [](const WorkerStatus& a, const WorkerStatus& b) { return a.name < b.name; });
  return out;
}

HubCounters WorkerHub::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

void WorkerHub::count_retry() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++counters_.tasks_retried;
}

}  // namespace pgclone::agent::cluster
