#include "ops/agent_metrics.h"

#include "ops/prometheus_text.h"

namespace pgclone::agent::ops {

std::string coordinator_metrics(const jobs::JobManager& manager, const cluster::WorkerHub* hub) {
  PrometheusText out;
  const jobs::JobCounts counts = manager.counts();
  out.family("pgclone_jobs", "gauge", "Jobs the agent remembers, by state.");
  for (const auto& [state, jobs] : counts.by_status) out.sample("pgclone_jobs", jobs, {{"state", state}});
  out.family("pgclone_job_threads", "gauge", "Threads running jobs here, and how many are busy.");
  out.sample("pgclone_job_threads", counts.workers_total, {{"state", "total"}});
  out.sample("pgclone_job_threads", counts.workers_busy, {{"state", "busy"}});
  out.family("pgclone_rows_copied", "gauge", "Rows copied by the jobs the agent remembers.");
  out.sample("pgclone_rows_copied", static_cast<double>(counts.rows_copied));
  out.family("pgclone_bytes_copied", "gauge", "Bytes copied by the jobs the agent remembers.");
  out.sample("pgclone_bytes_copied", static_cast<double>(counts.bytes_copied));
  if (hub == nullptr) return out.text();

  const auto workers = hub->workers();
  const cluster::HubCounters hub_counters = hub->counters();
  out.family("pgclone_worker_agents", "gauge", "Worker agents joined now.");
  out.sample("pgclone_worker_agents", static_cast<double>(workers.size()));
  out.family("pgclone_worker_slots", "gauge", "Slots a worker agent offers.");
  for (const auto& w : workers) out.sample("pgclone_worker_slots", w.slots, {{"worker", w.name}});
  out.family("pgclone_worker_busy_slots", "gauge", "Slots of a worker agent running a task now.");
  for (const auto& w : workers) out.sample("pgclone_worker_busy_slots", w.busy, {{"worker", w.name}});
  out.family("pgclone_worker_tasks_total", "counter", "Tasks a worker agent ended since it joined, by result.");
  for (const auto& w : workers) {
    out.sample("pgclone_worker_tasks_total", static_cast<double>(w.tasks_done), {{"worker", w.name}, {"result", "done"}});
    out.sample("pgclone_worker_tasks_total", static_cast<double>(w.tasks_failed),
               {{"worker", w.name}, {"result", "failed"}});
  }
  out.family("pgclone_worker_heartbeat_age_seconds", "gauge", "Time since a worker agent was last heard from.");
  for (const auto& w : workers) {
    out.sample("pgclone_worker_heartbeat_age_seconds", static_cast<double>(w.last_heartbeat_ms_ago) / 1000.0,
               {{"worker", w.name}});
  }
  out.family("pgclone_task_retries_total", "counter", "Tasks redone because their worker agent was lost.");
  out.sample("pgclone_task_retries_total", static_cast<double>(hub_counters.tasks_retried));
  out.family("pgclone_workers_lost_total", "counter", "Worker agents lost (silent past --worker-timeout).");
  out.sample("pgclone_workers_lost_total", static_cast<double>(hub_counters.workers_lost));
  return out.text();
}

std::string worker_agent_metrics(const WorkerAgentCounters& c) {
  PrometheusText out;
  out.family("pgclone_worker_joined", "gauge", "1 while the coordinator has welcomed this worker agent.");
  out.sample("pgclone_worker_joined", c.joined ? 1 : 0);
  out.family("pgclone_worker_slots", "gauge", "Slots this worker agent offers.");
  out.sample("pgclone_worker_slots", c.slots);
  out.family("pgclone_worker_busy_slots", "gauge", "Slots running a task now.");
  out.sample("pgclone_worker_busy_slots", c.busy);
  out.family("pgclone_worker_tasks_total", "counter", "Tasks ended since this worker agent started, by result.");
  out.sample("pgclone_worker_tasks_total", static_cast<double>(c.tasks_done), {{"result", "done"}});
  out.sample("pgclone_worker_tasks_total", static_cast<double>(c.tasks_failed), {{"result", "failed"}});
  out.family("pgclone_worker_rows_copied_total", "counter", "Rows loaded by this worker agent's finished tasks.");
  out.sample("pgclone_worker_rows_copied_total", static_cast<double>(c.rows_copied));
  return out.text();
}

}  // namespace pgclone::agent::ops
