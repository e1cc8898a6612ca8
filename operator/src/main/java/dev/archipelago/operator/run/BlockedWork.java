package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.DistillationStatus;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.PartitionStatus;
import dev.archipelago.api.status.RouterStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.policy.StartDeadline;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What keeps work from starting, said in status: a ComputeIsland that is missing where a worker
 * needs it, and attempts waiting past spec.failurePolicy.pendingTimeoutSeconds; and when to look
 * again although nothing changes.
 */
final class BlockedWork {
  private BlockedWork() {}

  /**
   * The encode stage, partition, router or distillation waiting to start past
   * spec.failurePolicy.pendingTimeoutSeconds stalls the run with its pod's reason (an expert's wait
   * is decided in planExperts: it may move); the soonest deadline of all waiting attempts is when
   * to look again.
   */
  static Optional<Duration> checkStarts(
      DDMRun run,
      Observed observed,
      PartitionStatus encode,
      PartitionStatus partition,
      List<ExpertStatus> experts,
      RouterStatus router,
      DistillationStatus distillation,
      List<String> stalled) {
    StartDeadline deadline = startDeadline(run, observed);
    String runName = run.getMetadata().getName();
    Map<String, String> waiting = new LinkedHashMap<>();
    if (encode != null && encode.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.encodeJob(runName), "the encode stage");
    }
    if (partition.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.partitionJob(runName), "the partition");
    }
    for (ExpertStatus e : experts) {
      if (e.getPhase() == WorkerPhase.Pending) {
        waiting.put(ExpertPlanner.expertJob(runName, e), "expert " + e.getExpert());
      }
    }
    if (router.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.routerJob(runName, 1), "the router");
    }
    if (distillation != null && distillation.getPhase() == WorkerPhase.Pending) {
      waiting.put(ChildNames.distillationJob(runName, 1), "the distillation");
    }
    Optional<Duration> soonest = Optional.empty();
    for (Map.Entry<String, String> w : waiting.entrySet()) {
      Optional<Job> job = observed.job(w.getKey());
      if (job.isEmpty()) {
        continue;
      }
      Optional<String> overdue =
          deadline.overdue(w.getValue(), job.get(), observed.pods().get(w.getKey()));
      if (overdue.isPresent()) {
        if (!w.getValue().startsWith("expert ")) {
          stalled.add(overdue.get());
        }
        continue;
      }
      Optional<Duration> left = deadline.remaining(job.get());
      if (left.isPresent() && (soonest.isEmpty() || left.get().compareTo(soonest.get()) < 0)) {
        soonest = left;
      }
    }
    return soonest;
  }

  static StartDeadline startDeadline(DDMRun run, Observed observed) {
    Long timeout = run.getSpec().getFailurePolicy().getPendingTimeoutSeconds();
    return new StartDeadline(timeout == null ? 1800 : timeout, observed.now());
  }

  /**
   * A missing island stalls the run only where it blocks work: a worker on it that needs a new
   * attempt. Attempts already running on it are never deleted for it.
   */
  static void explainMissingIslands(
      DDMRun run,
      Observed observed,
      PartitionStatus encode,
      PartitionStatus partition,
      List<ExpertStatus> experts,
      RouterStatus router,
      DistillationStatus distillation,
      DesiredJobs jobs,
      List<String> stalled,
      List<String> notes) {
    String runName = run.getMetadata().getName();
    String home = run.getSpec().getIslands().get(0);
    for (String island : run.getSpec().getIslands()) {
      if (observed.islands().containsKey(island)) {
        continue;
      }
      List<String> blocked = new ArrayList<>();
      boolean holdsWork = false;
      if (island.equals(home)) {
        boolean encodeHeld = jobs.jobs().containsKey(ChildNames.encodeJob(runName));
        boolean partitionHeld = jobs.jobs().containsKey(ChildNames.partitionJob(runName));
        boolean routerHeld = jobs.jobs().containsKey(ChildNames.routerJob(runName, 1));
        boolean distillationHeld = jobs.jobs().containsKey(ChildNames.distillationJob(runName, 1));
        holdsWork |= encodeHeld || partitionHeld || routerHeld || distillationHeld;
        if (encode != null && !ExpertPlanner.isFinished(encode.getPhase()) && !encodeHeld) {
          blocked.add("the encode stage");
        }
        if (!ExpertPlanner.isFinished(partition.getPhase()) && !partitionHeld) {
          blocked.add("the partition");
        }
        if (!ExpertPlanner.isFinished(router.getPhase()) && !routerHeld) {
          blocked.add("the router");
        }
        if (distillation != null
            && !ExpertPlanner.isFinished(distillation.getPhase())
            && !distillationHeld) {
          blocked.add("the distillation");
        }
      }
      for (ExpertStatus e : experts) {
        if (!island.equals(e.getIsland()) || ExpertPlanner.isFinished(e.getPhase())) {
          continue;
        }
        if (jobs.jobs().containsKey(ExpertPlanner.expertJob(runName, e))) {
          holdsWork = true;
        } else {
          blocked.add("expert " + e.getExpert());
        }
      }
      String missing = "ComputeIsland " + island + " (spec.islands) does not exist";
      if (!blocked.isEmpty()) {
        stalled.add(missing + ": " + String.join(", ", blocked) + " cannot start");
      } else if (holdsWork) {
        notes.add(missing + "; the attempts already on it keep running");
      }
    }
  }
}
