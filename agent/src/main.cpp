// pgclone-agent: the daemon that runs pgclone's clone jobs outside PostgreSQL.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <set>
#include <utility>
#include <vector>
#include <cstring>
#include <filesystem>
#include <string>

#include "clone/run_job.h"
#include "cluster/worker_agent.h"
#include "cluster/worker_hub.h"
#include "ops/agent_metrics.h"
#include "ops/metrics_server.h"
#include "pgclone/protocol/worker_messages.h"
#include "mask/mask_key.h"
#include "pgclone/protocol/key_file.h"
#include "pgclone/protocol/sqlstate.h"
#include "trust/enrolment.h"
#include "trust/key_generation.h"
#include "trust/zap_handler.h"
#include "frontend/endpoint_policy.h"
#include "frontend/outbox.h"
#include "frontend/router_loop.h"
#include "jobs/job_manager.h"
#include "pg/libpq_environment.h"
#include "pgclone/protocol/codec.h"
#include "pgclone/protocol/version.h"
#include "store/job_store.h"
#include "util/log.h"

namespace {

using namespace pgclone::agent;

struct Settings {
  std::string listen = pgclone::protocol::kDefaultEndpoint;
  std::string state_dir;
  std::string key_file;
  std::string servers_file;
  std::string mask_key_file;
  int workers = 4;
  std::string log_level = "info";
  bool allow_remote = false;
  bool resume_interrupted = false;
  std::string ipc_mode = "0660";
  std::string ipc_group;
  std::vector<unsigned> ipc_uids;
  jobs::JobLimits limits;
  // Several hosts (cluster/): a coordinator's worker endpoint, or the
  // coordinator a worker agent joins.
  std::string worker_listen;
  std::string worker_keys_file;
  int worker_timeout_s = 3;
  std::string join;
  std::string coordinator_key;
  std::string worker_name;
  std::string metrics_listen;
  std::string config_file;  // --config, read again on SIGHUP for the log level
};

// Jobs a coordinator that loads nothing itself (--workers 0) runs at once.
constexpr int kCoordinatorOnlyJobs = 4;

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

struct KeygenSettings {
  std::string out;
  bool force = false;
};

int run_keygen(const KeygenSettings& keygen) {
  const pgclone::protocol::CurveKeyPair pair = trust::generate_key_pair();
  trust::write_key_file(keygen.out, pair, keygen.force);
  std::printf("%s\n", pair.public_key.c_str());
  std::fprintf(stderr, "pgclone-agent: wrote the key pair to %s (mode 0600); its public key is printed above\n",
               keygen.out.c_str());
  return 0;
}

// The target conninfo of a job: the owner's server as enrolled now.
jobs::JobManager::TargetResolver target_resolver(const trust::ZapHandler* const* zap) {
  return [zap](const jobs::JobOwner& owner) {
    const auto enrolment = (*zap)->enrolment();
    const trust::EnrolledServer* server = enrolment ? enrolment->by_name(owner.server) : nullptr;
    if (server == nullptr) {
      throw jobs::JobRequestError(pgclone::protocol::sqlstate::kInvalidAuthorization,
                                  "server \"" + owner.server + "\" is no longer enrolled with the pgclone agent");
    }
    return trust::target_conninfo_for(*server, owner.database);
  };
}

// One agent per state directory: a second one would fight over its state.
int lock_state_dir(const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string path = (std::filesystem::path(dir) / "agent.lock").string();
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    throw std::runtime_error("state directory " + dir + " is in use by another pgclone-agent");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || write(fd, pid.data(), pid.size()) < 0) {
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  }
  return fd;
}

// Blocks the stop signals in every thread (threads inherit the mask) and
// returns a signalfd the front end polls.
int stop_signal_fd() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) throw std::runtime_error("pthread_sigmask failed");
  signal(SIGPIPE, SIG_IGN);
  const int fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

// The --metrics-listen endpoint, or null without one.
std::unique_ptr<ops::MetricsServer> metrics_server(const Settings& settings, ops::MetricsServer::Render render) {
  if (settings.metrics_listen.empty()) return nullptr;
  frontend::check_endpoint_policy("tcp://" + settings.metrics_listen, settings.allow_remote);
  return std::make_unique<ops::MetricsServer>(settings.metrics_listen, std::move(render));
}

// pgclone-agent --join: a worker agent (cluster/worker_agent.h).
int run_worker(const Settings& settings) {
  for (const auto& [value, name] : {std::pair{&settings.coordinator_key, "--coordinator-key"},
                                    std::pair{&settings.state_dir, "--state-dir"},
                                    std::pair{&settings.key_file, "--key"},
                                    std::pair{&settings.servers_file, "--servers"}}) {
    if (value->empty()) throw std::runtime_error(std::string(name) + " is required with --join (see --help)");
  }
  if (!pgclone::protocol::is_curve_key(settings.coordinator_key)) {
    throw std::runtime_error("--coordinator-key is not a CURVE public key (40 characters of Z85)");
  }
  if (settings.workers < 1) throw std::runtime_error("a worker agent needs --workers 1 or more");
  if (!settings.worker_listen.empty()) throw std::runtime_error("--join and --worker-listen exclude each other");
  cluster::WorkerAgentConfig config;
  config.coordinator = settings.join;
  config.coordinator_public_key = settings.coordinator_key;
  config.key = pgclone::protocol::read_key_file(settings.key_file);
  config.name = settings.worker_name;
  config.slots = settings.workers;
  config.servers_file = settings.servers_file;
  config.config_file = settings.config_file;
  // Before any thread starts: threads inherit the blocked stop signals.
  config.signal_fd = stop_signal_fd();
  ops::WorkerAgentCounters counters;
  config.counters = &counters;
  const auto metrics = metrics_server(settings, [&counters] { return ops::worker_agent_metrics(counters); });
  auto enrolment = std::make_shared<const trust::Enrolment>(trust::Enrolment::load(settings.servers_file));
  const int lock_fd = lock_state_dir(settings.state_dir);
  cluster::run_worker_agent(config, std::move(enrolment));
  close(config.signal_fd);
  close(lock_fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pg::clear_libpq_environment();
  Settings settings;
  KeygenSettings keygen;
  CLI::App app{
      "pgclone-agent runs pgclone's clone jobs: it reads the source server under one snapshot,\n"
      "creates the objects in the calling database and streams the data with COPY.\n"
      "The pgclone extension talks to it over ZeroMQ (GUC pgclone.agent_endpoint), authenticated\n"
      "with CURVE keys: only servers enrolled in the --servers file are served.",
      "pgclone-agent"};
  app.set_version_flag("--version", std::string("pgclone-agent ") + pgclone::protocol::kProductVersion);
  CLI::App* keygen_command = app.add_subcommand(
      "keygen", "Write a new CURVE key pair (for the agent, or for a PostgreSQL server to enrol) and print "
                "its public key");
  keygen_command->add_option("--out", keygen.out, "Key file to write (mode 0600)")->required();
  keygen_command->add_flag("--force", keygen.force, "Replace an existing file");

  app.add_option("--listen", settings.listen,
                 "ZeroMQ endpoint to listen on, e.g. tcp://127.0.0.1:5599 or ipc:///run/pgclone/agent.sock")
      ->capture_default_str();
  app.add_option("--state-dir", settings.state_dir,
                 "Directory for the agent's state: its lock and the job store (jobs.db, mode 0600: it holds "
                 "the connection strings that resume needs)");
  app.add_option("--key", settings.key_file, "The agent's own key pair (made by keygen; mode 0600)");
  app.add_option("--servers", settings.servers_file,
                 "Enrolled PostgreSQL servers (JSON: name, public_keys, target); re-read on SIGHUP");
  app.add_option("--mask-key", settings.mask_key_file,
                 "Secret key of the keyed mask strategies (hash, pseudonym): 64 hex digits, mode 0600; made on "
                 "first start when missing. Default: mask.key in the state directory. Agents whose masked "
                 "clones must agree need the same key");
  app.add_option("--workers", settings.workers,
                 "Worker threads running jobs; with --join, the slots this worker agent offers. 0 (only with "
                 "--worker-listen): this host loads no tables itself while worker agents are joined, and runs "
                 "up to 4 jobs at once")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  app.add_option("--worker-listen", settings.worker_listen,
                 "Coordinator: ZeroMQ endpoint worker agents join (--join), e.g. tcp://10.0.0.1:5600. Table loads "
                 "go to their free slots; every worker must pass CURVE authentication with a key in --worker-keys");
  app.add_option("--worker-keys", settings.worker_keys_file,
                 "Coordinator: the worker agents' CURVE public keys, one per line, optionally followed by a label; lines starting with # are comments; re-read on SIGHUP");
  app.add_option("--worker-timeout", settings.worker_timeout_s,
                 "Coordinator: seconds without a heartbeat after which a worker is lost and its tasks are redone")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  app.add_option("--join", settings.join,
                 "Run as a worker agent of the coordinator at this endpoint (its --worker-listen); needs "
                 "--coordinator-key, --key, --servers and --state-dir");
  app.add_option("--coordinator-key", settings.coordinator_key,
                 "Worker agent: the coordinator's CURVE public key (its keygen printed it)");
  app.add_option("--worker-name", settings.worker_name,
                 "This agent's name in agent_status() and the jobs' detail (default: the host name)");
  app.add_option("--metrics-listen", settings.metrics_listen,
                 "HOST:PORT for an HTTP endpoint with Prometheus metrics (/metrics) and /healthz; a loopback "
                 "address unless --allow-remote");
  app.set_config("--config", "",
                 "Read options from this file (TOML: one `option = value` per line, e.g. workers = 8, "
                 "worker-listen = \"tcp://10.0.0.1:5600\"); options on the command line win. SIGHUP reads its "
                 "log-level again");
  app.allow_config_extras(false);  // a misspelt option in the file is an error, not a silent no-op
  app.add_option("--log-level", settings.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_flag("--allow-remote", settings.allow_remote,
               "Listen on an address other hosts can reach (every peer must still pass CURVE authentication)");
  app.add_flag("--resume-interrupted", settings.resume_interrupted,
               "At start, resume every job the previous agent left interrupted");
  app.add_option("--ipc-mode", settings.ipc_mode, "Mode of an ipc:// socket file (octal)")->capture_default_str();
  app.add_option("--ipc-group", settings.ipc_group, "Group of an ipc:// socket file");
  app.add_option("--ipc-allow-uid", settings.ipc_uids,
                 "OS user ids that may connect to an ipc:// endpoint (repeatable; default: any the mode lets in)");
  app.add_option("--max-jobs-per-role", settings.limits.max_active_per_role,
                 "Pending and running jobs one role may have")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-running-per-role", settings.limits.max_running_per_role,
                 "Jobs of one role run at once (0: half the workers, at least 1)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  app.add_option("--max-pending-jobs", settings.limits.max_pending, "Jobs waiting for a worker, all roles")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--max-finished-jobs", settings.limits.max_finished,
                 "Finished jobs kept for the job views; the oldest are forgotten")
      ->check(CLI::Range(0, 10000000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (const CLI::Option* config = app.get_config_ptr(); config != nullptr && config->count() > 0) {
    settings.config_file = config->as<std::string>();
  }

  log::Level level;
  log::parse_level(settings.log_level, &level);
  log::set_level(level);

  try {
    if (keygen_command->parsed()) return run_keygen(keygen);
    if (geteuid() == 0) {
      throw std::runtime_error(
          "pgclone-agent must not run as root: run it as its own OS user (or the PostgreSQL server's)");
    }
    for (const auto& [value, name] : {std::pair{&settings.state_dir, "--state-dir"},
                                      std::pair{&settings.key_file, "--key"},
                                      std::pair{&settings.servers_file, "--servers"}}) {
      if (value->empty()) throw std::runtime_error(std::string(name) + " is required (see --help)");
    }
    if (settings.worker_name.empty()) settings.worker_name = host_name();
    if (settings.worker_name.size() > pgclone::protocol::kMaxWorkerNameBytes) {
      throw std::runtime_error("--worker-name is longer than 64 bytes");
    }
    if (!settings.join.empty()) return run_worker(settings);
    if (!settings.worker_listen.empty() && settings.worker_keys_file.empty()) {
      throw std::runtime_error("--worker-listen needs --worker-keys (the worker agents' public keys)");
    }
    if (settings.workers == 0 && settings.worker_listen.empty()) {
      throw std::runtime_error("--workers 0 needs --worker-listen: somebody must load the tables");
    }
    if (!settings.worker_listen.empty()) {
      frontend::check_endpoint_policy(settings.worker_listen, settings.allow_remote);
    }
    frontend::check_endpoint_policy(settings.listen, settings.allow_remote);
    frontend::RouterLoopConfig config;
    config.endpoint = settings.listen;
    config.agent_key = pgclone::protocol::read_key_file(settings.key_file);
    config.servers_file = settings.servers_file;
    config.worker_keys_file = settings.worker_keys_file;
    config.config_file = settings.config_file;
    config.enrolment = std::make_shared<const trust::Enrolment>(trust::Enrolment::load(settings.servers_file));
    if (settings.ipc_mode.empty() || settings.ipc_mode.size() > 4 ||
        settings.ipc_mode.find_first_not_of("01234567") != std::string::npos) {
      throw std::runtime_error("--ipc-mode must be an octal file mode such as 0660, not \"" + settings.ipc_mode + "\"");
    }
    config.ipc.mode = static_cast<int>(std::stoul(settings.ipc_mode, nullptr, 8)) & 0777;
    config.ipc.group = settings.ipc_group;
    config.ipc.uids = std::set<unsigned>(settings.ipc_uids.begin(), settings.ipc_uids.end());

    const int lock_fd = lock_state_dir(settings.state_dir);
    mask::install_mask_key(mask::MaskKey::load_or_create(
        settings.mask_key_file.empty() ? settings.state_dir + "/mask.key" : settings.mask_key_file));
    const int signal_fd = stop_signal_fd();
    config.signal_fd = signal_fd;
    store::JobStore job_store(settings.state_dir);

    frontend::Outbox outbox;
    // The router loop (and its ZAP handler, which holds the enrolment) is
    // made after the manager; the resolver reaches it through this slot.
    const trust::ZapHandler* zap = nullptr;
    jobs::JobManager manager(
        settings.workers > 0 ? settings.workers : kCoordinatorOnlyJobs, clone::run_job,
        [&outbox](const jobs::Waiter& waiter, pgclone::protocol::MessageKind kind, std::string payload) {
          pgclone::protocol::Envelope envelope;
          envelope.protocol_major = pgclone::protocol::kProtocolMajor;
          envelope.kind = static_cast<std::uint8_t>(kind);
          envelope.request_id = waiter.request_id;
          envelope.payload = std::move(payload);
          outbox.push({waiter.identity, pgclone::protocol::encode_envelope(envelope)});
        },
        &job_store, target_resolver(&zap), settings.limits);
    frontend::RouterLoop loop(std::move(config), manager, outbox);
    zap = &loop.zap();
    std::unique_ptr<cluster::WorkerHub> hub;
    if (!settings.worker_listen.empty()) {
      cluster::WorkerHubConfig hub_config;
      hub_config.endpoint = settings.worker_listen;
      hub_config.key = pgclone::protocol::read_key_file(settings.key_file);
      hub_config.name = settings.worker_name;
      hub_config.timeout = std::chrono::seconds(settings.worker_timeout_s);
      hub = std::make_unique<cluster::WorkerHub>(loop.context(), hub_config);
      hub->start();
    }
    cluster::install_worker_hub(hub.get(), settings.worker_name, settings.workers > 0);
    auto metrics =
        metrics_server(settings, [&manager, &hub] { return ops::coordinator_metrics(manager, hub.get()); });
    if (settings.resume_interrupted) {
      const int resumed = manager.resume_interrupted();
      if (resumed > 0) log::info("resumed ", resumed, " interrupted jobs");
    }
    loop.run();
    metrics.reset();
    if (hub) hub->stop();
    close(signal_fd);
    close(lock_fd);
  } catch (const std::exception& e) {
    log::error(e.what());
    return 1;
  }
  return 0;
}
