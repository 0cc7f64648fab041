// pgclone-agent: the daemon that runs pgclone's clone jobs outside PostgreSQL.

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "clone/run_job.h"
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
  int workers = 4;
  std::string log_level = "info";
  bool allow_remote = false;
  bool resume_interrupted = false;
};

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
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) throw std::runtime_error("pthread_sigmask failed");
  signal(SIGPIPE, SIG_IGN);
  const int fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) throw std::runtime_error(std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  pg::clear_libpq_environment();
  Settings settings;
  CLI::App app{
      "pgclone-agent runs pgclone's clone jobs: it reads the source server under one snapshot,\n"
      "creates the objects in the calling database and streams the data with COPY.\n"
      "The pgclone extension talks to it over ZeroMQ (GUC pgclone.agent_endpoint).",
      "pgclone-agent"};
  app.set_version_flag("--version", std::string("pgclone-agent ") + pgclone::protocol::kProductVersion);
  app.add_option("--listen", settings.listen,
                 "ZeroMQ endpoint to listen on, e.g. tcp://127.0.0.1:5599 or ipc:///run/pgclone/agent.sock")
      ->capture_default_str();
  app.add_option("--state-dir", settings.state_dir,
                 "Directory for the agent's state: its lock and the job store (jobs.db, mode 0600: it holds "
                 "the connection strings that resume needs)")
      ->required();
  app.add_option("--workers", settings.workers, "Worker threads running jobs")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--log-level", settings.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_flag("--allow-remote", settings.allow_remote,
               "Allow an endpoint that is reachable from other hosts (requests are not authenticated yet)");
  app.add_flag("--resume-interrupted", settings.resume_interrupted,
               "At start, resume every job the previous agent left interrupted");
  CLI11_PARSE(app, argc, argv);

  log::Level level;
  log::parse_level(settings.log_level, &level);
  log::set_level(level);

  try {
    frontend::check_endpoint_policy(settings.listen, settings.allow_remote);
    const int lock_fd = lock_state_dir(settings.state_dir);
    const int signal_fd = stop_signal_fd();
    store::JobStore job_store(settings.state_dir);

    frontend::Outbox outbox;
    jobs::JobManager manager(
        settings.workers, clone::run_job,
        [&outbox](const jobs::Waiter& waiter, pgclone::protocol::MessageKind kind, std::string payload) {
          pgclone::protocol::Envelope envelope;
          envelope.protocol_major = pgclone::protocol::kProtocolMajor;
          envelope.kind = static_cast<std::uint8_t>(kind);
          envelope.request_id = waiter.request_id;
          envelope.payload = std::move(payload);
          outbox.push({waiter.identity, pgclone::protocol::encode_envelope(envelope)});
        },
        &job_store);
    if (settings.resume_interrupted) {
      const int resumed = manager.resume_interrupted();
      if (resumed > 0) log::info("resumed ", resumed, " interrupted jobs");
    }
    frontend::RouterLoop loop({settings.listen, signal_fd}, manager, outbox);
    loop.run();
    close(signal_fd);
    close(lock_fd);
  } catch (const std::exception& e) {
    log::error(e.what());
    return 1;
  }
  return 0;
}
