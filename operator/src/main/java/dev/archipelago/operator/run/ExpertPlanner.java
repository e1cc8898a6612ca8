package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.status.ExpertStatus;
import dev.archipelago.api.status.WorkerPhase;
import dev.archipelago.operator.run.dependent.JobRenderer;
import dev.archipelago.operator.run.dependent.Rendering;
import dev.archipelago.operator.run.policy.IslandChoice;
import dev.archipelago.operator.run.policy.IslandSlots;
import dev.archipelago.operator.run.policy.PodFailureRules;
import dev.archipelago.operator.run.policy.StartDeadline;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Each expert's state and attempt Job: decided by {@link ExpertDecider}, then, once the partition
 * is done, the island of every new attempt ({@link IslandChoice}, failover included) within the
 * islands' slots ({@link IslandSlots}); a stuck attempt moves to another island.
 */
final class ExpertPlanner {
  static final String WAITING_FOR_SLOT = "waiting for a slot on island ";

  private ExpertPlanner() {}

  static List<ExpertStatus> plan(
      DDMRun run,
      Observed observed,
      PodFailureRules rules,
      List<RunEvent> events,
      Map<Integer, String> assignment,
      boolean partitionDone,
      JobRenderer render,
      DesiredJobs jobs,
      IslandChoice choice,
      List<String> stalled) {
    ExpertDecider decider = new ExpertDecider(run, observed, rules, events);
    Map<Integer, ExpertStatus> previous = previousExperts(run);
    String runName = run.getMetadata().getName();
    List<ExpertStatus> experts = new ArrayList<>();
    for (Map.Entry<Integer, String> e : assignment.entrySet()) {
      ExpertStatus prev = previous.getOrDefault(e.getKey(), new ExpertStatus(e.getKey()));
      ExpertStatus next = decider.decide(e.getKey(), prev, e.getValue());
      if (!partitionDone && next.getPhase() == WorkerPhase.Pending) {
        next.setMessage("waiting for the partition");
      }
      experts.add(next);
    }
    if (!partitionDone) {
      // Nothing starts before the partition, but nothing that runs is ever deleted for it either.
      experts.forEach(e -> jobs.keepIfPresent(expertJob(runName, e)));
      return experts;
    }
    IslandSlots slots = new IslandSlots(observed.islands(), observed.otherRunsExperts());
    StartDeadline deadline = BlockedWork.startDeadline(run, observed);
    Map<String, Integer> load = new HashMap<>();
    Map<Integer, Set<String>> excluded = new HashMap<>();
    List<ExpertStatus> needAttempt = new ArrayList<>();
    for (ExpertStatus e : experts) {
      String name = expertJob(runName, e);
      Optional<Job> current = observed.job(name);
      if (isFinished(e.getPhase())) {
        jobs.keepIfPresent(name);
      } else if (current.isEmpty()) {
        needAttempt.add(e);
      } else {
        Optional<String> overdue =
            e.getPhase() == WorkerPhase.Pending
                ? deadline.overdue(
                    "expert " + e.getExpert(), current.get(), observed.pods().get(name))
                : Optional.empty();
        Set<String> failedHere = Set.of(e.getIsland());
        if (overdue.isPresent()
            && choice.failover()
            && choice.next(assignment.get(e.getExpert()), null, failedHere, load).isPresent()) {
          // The stuck attempt's Job is dropped (deleted) and the next goes elsewhere.
          e.setMessage(overdue.get());
          e.setAttempt(e.getAttempt() + 1);
          excluded.put(e.getExpert(), failedHere);
          needAttempt.add(e);
          continue;
        }
        overdue.ifPresent(stalled::add);
        slots.take(e.getIsland());
        load.merge(e.getIsland(), 1, Integer::sum);
        jobs.keepOrCreate(
            name,
            Optional.ofNullable(observed.islands().get(e.getIsland()))
                .map(i -> renderExpert(render, e, i, rules)),
            "expert " + e.getExpert());
        keepFailedPreviousAttempt(runName, e, observed, jobs);
      }
    }
    for (ExpertStatus e : needAttempt) {
      String home = assignment.get(e.getExpert());
      Set<String> notHere = excluded.getOrDefault(e.getExpert(), Set.of());
      Optional<String> target = choice.next(home, e.getIsland(), notHere, load);
      if (target.isEmpty()) {
        e.setMessage(
            "waiting: "
                + choice.whyNot(notHere.isEmpty() ? home : e.getIsland()).orElse("no island")
                + (choice.failover() ? " and no other island of spec.islands can run it" : ""));
        continue;
      }
      if (!slots.free(target.get())) {
        e.setMessage(
            WAITING_FOR_SLOT
                + target.get()
                + " (maxConcurrentExperts="
                + slots.limit(target.get())
                + ", counted over every run on it)");
        continue;
      }
      String from = e.getIsland();
      if (!target.get().equals(from)) {
        String why =
            notHere.isEmpty()
                ? choice.whyNot(from).orElse("spec.islands or placement changed")
                : e.getMessage();
        e.setMessage(
            "attempt "
                + e.getAttempt()
                + " moves from island "
                + from
                + " to "
                + target.get()
                + ": "
                + why);
        events.add(
            RunEvent.warning("ExpertMoved", "expert " + e.getExpert() + " " + e.getMessage()));
        e.setIsland(target.get());
      }
      slots.take(target.get());
      load.merge(target.get(), 1, Integer::sum);
      jobs.keepOrCreate(
          expertJob(runName, e),
          Optional.of(renderExpert(render, e, observed.islands().get(target.get()), rules)),
          "expert " + e.getExpert());
      keepFailedPreviousAttempt(runName, e, observed, jobs);
    }
    return experts;
  }

  /**
   * The failed attempt before the current one stays, so that its pod's logs and the reason of the
   * retry remain visible; older attempts, and an unfinished one that was moved off, are deleted.
   */
  private static void keepFailedPreviousAttempt(
      String runName, ExpertStatus e, Observed observed, DesiredJobs jobs) {
    if (e.getAttempt() < 2) {
      return;
    }
    String name = ChildNames.expertJob(runName, e.getExpert(), e.getAttempt() - 1);
    observed.job(name).filter(DesiredJobs::isFinished).ifPresent(j -> jobs.keepIfPresent(name));
  }

  private static Rendering renderExpert(
      JobRenderer render, ExpertStatus e, ComputeIsland island, PodFailureRules rules) {
    return render.expert(
        e.getExpert(), e.getAttempt(), island, rules, e.getRestarts(), e.getDisruptions());
  }

  private static Map<Integer, ExpertStatus> previousExperts(DDMRun run) {
    Map<Integer, ExpertStatus> previous = new HashMap<>();
    if (run.getStatus() != null && run.getStatus().getExperts() != null) {
      for (ExpertStatus e : run.getStatus().getExperts()) {
        if (e.getExpert() != null) {
          previous.put(e.getExpert(), e);
        }
      }
    }
    return previous;
  }

  static String expertJob(String run, ExpertStatus e) {
    return ChildNames.expertJob(run, e.getExpert(), e.getAttempt());
  }

  static boolean isFinished(WorkerPhase phase) {
    return phase == WorkerPhase.Succeeded || phase == WorkerPhase.Failed;
  }
}
