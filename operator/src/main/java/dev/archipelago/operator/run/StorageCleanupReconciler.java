package dev.archipelago.operator.run;

import dev.archipelago.api.ArchipelagoApi;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.DeletionPolicy;
import dev.archipelago.operator.metrics.RunMetrics;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * The storage finalizer, on exactly the runs that need it: those with spec.storage.deletionPolicy
 * Delete. A Retain run carries no finalizer, so deleting it (or its namespace) never waits for the
 * operator, even when the operator is gone. A second controller on DDMRuns, in JOSDK's all-events
 * mode (reconcile also on deletion, finalizers managed here), because that mode does not allow the
 * main controller's managed dependents; the main controller uses no finalizer and its children go
 * with the run by owner references.
 */
@ControllerConfiguration(name = "ddmrun-storage-cleanup", triggerReconcilerOnAllEvents = true)
public class StorageCleanupReconciler implements Reconciler<DDMRun> {
  static final String FINALIZER = ArchipelagoApi.STORAGE_CLEANUP_FINALIZER;

  private final RunDeletion deletion;
  private final RunMetrics metrics;

  public StorageCleanupReconciler(RunDeletion deletion, RunMetrics metrics) {
    this.deletion = deletion;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, DDMRun>> prepareEventSources(EventSourceContext<DDMRun> context) {
    // Deletion waits for the trainers' pods to be gone: their deletion events drive it.
    return List.of(RunEventSources.podsOfRuns(context, "cleanup-pods"));
  }

  @Override
  public UpdateControl<DDMRun> reconcile(DDMRun run, Context<DDMRun> context) {
    if (context.isPrimaryResourceDeleted()) {
      metrics.forget(run);
      return UpdateControl.noUpdate();
    }
    boolean holds = run.hasFinalizer(FINALIZER);
    if (run.isMarkedForDeletion()) {
      if (!holds) {
        return UpdateControl.noUpdate();
      }
      DeleteControl done = deletion.delete(run, context);
      if (done.isRemoveFinalizer()) {
        PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
        return UpdateControl.noUpdate();
      }
      return done.getScheduleDelay()
          .map(ms -> UpdateControl.<DDMRun>noUpdate().rescheduleAfter(ms))
          .orElseGet(UpdateControl::noUpdate);
    }
    boolean wants = run.getSpec().getStorage().getDeletionPolicy() == DeletionPolicy.Delete;
    if (wants && !holds) {
      PrimaryUpdateAndCacheUtils.addFinalizer(context, FINALIZER);
    } else if (!wants && holds) {
      // A run switched to Retain, or one finalized by an earlier operator version.
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
    }
    return UpdateControl.noUpdate();
  }
}
