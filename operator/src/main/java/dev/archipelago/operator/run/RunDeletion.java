package dev.archipelago.operator.run;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.Labels;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.spec.DeletionPolicy;
import dev.archipelago.operator.run.progress.StorageCleanup;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deleting a run does. Retain: nothing (the children go with the run, storage stays). Delete:
 * stop the trainers first, because a trainer that gets SIGTERM checkpoints and would refill a
 * prefix wiped under it; once none of their pods remains, delete the run's prefix. A failing wipe
 * is retried with back-off a bounded number of times, each failure an Event; then the run is let go
 * with a Warning Event that says where its objects remain, so a deletion (or a namespace's) never
 * hangs on an unreachable store.
 */
public final class RunDeletion {
  static final int MAX_WIPE_ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(RunDeletion.class);
  private static final Set<String> TRAINER_ROLES =
      Set.of(
          Role.ENCODE.label(),
          Role.PARTITION.label(),
          Role.EXPERT.label(),
          Role.ROUTER.label(),
          Role.DISTILL.label());

  private final StorageCleanup cleanup;
  private final RunEvents events;
  private final Duration retryBase;
  private final Map<String, Integer> failedWipes = new ConcurrentHashMap<>();

  public RunDeletion(StorageCleanup cleanup, RunEvents events, Duration retryBase) {
    this.cleanup = cleanup;
    this.events = events;
    this.retryBase = retryBase;
  }

  public DeleteControl delete(DDMRun run, Context<DDMRun> context) {
    DeleteControl control = decide(run, context);
    if (control.isRemoveFinalizer()) {
      cleanup.forget(run);
    }
    return control;
  }

  private DeleteControl decide(DDMRun run, Context<DDMRun> context) {
    if (run.getSpec().getStorage().getDeletionPolicy() != DeletionPolicy.Delete) {
      return DeleteControl.defaultDelete();
    }
    String name = run.getMetadata().getName();
    long trainers =
        context
            .getSecondaryResourcesAsStream(Pod.class)
            .filter(p -> name.equals(p.getMetadata().getLabels().get(Labels.RUN)))
            .filter(p -> TRAINER_ROLES.contains(p.getMetadata().getLabels().get(Labels.ROLE)))
            .count();
    if (trainers > 0) {
      context
          .getClient()
          .batch()
          .v1()
          .jobs()
          .inNamespace(run.getMetadata().getNamespace())
          .withLabel(Labels.RUN, name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      LOG.info("waiting for {} trainer pods to stop before deleting the run's storage", trainers);
      // The pod informer's delete events trigger the next attempt; the delay is a safety net.
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(retryBase.toMillis());
    }
    String uid = run.getMetadata().getUid();
    try {
      int deleted = cleanup.deleteRunPrefix(run);
      LOG.info("deleted {} objects under the run's storage prefix", deleted);
      failedWipes.remove(uid);
      return DeleteControl.defaultDelete();
    } catch (Exception e) {
      int attempt = failedWipes.merge(uid, 1, Integer::sum);
      if (attempt >= MAX_WIPE_ATTEMPTS) {
        failedWipes.remove(uid);
        events.emit(
            run,
            RunEvent.warning(
                "StorageNotDeleted",
                "gave up deleting the run's storage after "
                    + attempt
                    + " attempts ("
                    + e.getMessage()
                    + "); its objects remain under "
                    + (run.getStatus() == null ? "its prefix" : run.getStatus().getStoragePrefix())
                    + " in bucket "
                    + run.getSpec().getStorage().getBucket()));
        return DeleteControl.defaultDelete();
      }
      events.emit(
          run,
          RunEvent.warning(
              "StorageCleanupFailed",
              "cannot delete the run's storage yet (attempt "
                  + attempt
                  + " of "
                  + MAX_WIPE_ATTEMPTS
                  + "): "
                  + e.getMessage()));
      long delay = retryBase.toMillis() << (attempt - 1);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(delay);
    }
  }
}
