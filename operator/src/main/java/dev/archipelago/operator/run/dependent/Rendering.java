package dev.archipelago.operator.run.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.function.Supplier;

/**
 * A Job as the plan would create it, rendered only when needed: to create it, or to tell whether a
 * running attempt was rendered from another spec. A steady 64-expert run needs neither on most
 * reconciles, and rendering every Job on every pod event cost most of the reconcile's CPU.
 */
public final class Rendering {
  private final Supplier<Job> job;
  private final Supplier<String> specHash;

  Rendering(Supplier<Job> job, Supplier<String> specHash) {
    this.job = job;
    this.specHash = specHash;
  }

  /** A freshly rendered Job, which the caller may change (creating it does). */
  public Job job() {
    return job.get();
  }

  /** The {@link JobRenderer#RENDERED_SPEC} hash the rendered Job carries. */
  public String specHash() {
    return specHash.get();
  }
}
