package dev.archipelago.trainer.serve;

import java.util.concurrent.CompletableFuture;

/** Something that predicts the rectified-flow velocity: one expert, or the routed ensemble. */
@FunctionalInterface
public interface VelocityModel {
  /** The velocity of every image of the query, flat in the query's layout. */
  float[] velocity(VelocityQuery query);

  /**
   * The same, without waiting where the model can run elsewhere (a batched or remote expert), so
   * that a router can ask several experts at once; by default it runs here and now.
   */
  default CompletableFuture<float[]> velocityAsync(VelocityQuery query) {
    try {
      return CompletableFuture.completedFuture(velocity(query));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
