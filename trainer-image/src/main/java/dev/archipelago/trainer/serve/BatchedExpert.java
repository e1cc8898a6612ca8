package dev.archipelago.trainer.serve;

import java.util.concurrent.CompletableFuture;

/**
 * An expert whose evaluations share forward passes with every other request's ({@link
 * ModelScheduler}); classifier-free guidance sends both halves as rows of the same batch.
 */
public final class BatchedExpert implements VelocityModel {
  private final ModelScheduler.Lane lane;
  private final ImageShape shape;
  private final long nullClass;

  /**
   * @param nullClass the label that stands for "no class" (numClasses of a conditional model)
   */
  public BatchedExpert(ModelScheduler.Lane lane, ImageShape shape, long nullClass) {
    this.lane = lane;
    this.shape = shape;
    this.nullClass = nullClass;
  }

  @Override
  public float[] velocity(VelocityQuery query) {
    return Futures.await(velocityAsync(query));
  }

  @Override
  public CompletableFuture<float[]> velocityAsync(VelocityQuery query) {
    if (!query.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "this expert takes " + shape + " images, the query has " + query.shape());
    }
    if (!ClassifierFreeGuidance.applies(query)) {
      return lane.submit(query);
    }
    float g = query.guidance();
    return lane.submit(ClassifierFreeGuidance.expand(query, nullClass))
        .thenApply(both -> ClassifierFreeGuidance.combine(both, g));
  }
}
