package dev.archipelago.trainer.serve;

/** The router, its evaluations batched across requests like the experts'. */
public final class BatchedRouter implements ExpertRouter {
  private final ModelScheduler.Lane lane;
  private final int experts;

  public BatchedRouter(ModelScheduler.Lane lane, int experts) {
    this.lane = lane;
    this.experts = experts;
  }

  @Override
  public int experts() {
    return experts;
  }

  @Override
  public float[] probabilities(VelocityQuery query) {
    return Futures.await(lane.submit(query));
  }
}
