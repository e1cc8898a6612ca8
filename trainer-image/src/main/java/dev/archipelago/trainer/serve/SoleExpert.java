package dev.archipelago.trainer.serve;

import java.util.Arrays;

/**
 * The router of a one-expert monolith: every image goes to expert 0 with weight 1. The monolith has
 * no trained router (there is nothing to choose), so serving runs the same code path as an ensemble
 * with this in the router's place.
 */
final class SoleExpert implements ExpertRouter {
  @Override
  public int experts() {
    return 1;
  }

  @Override
  public float[] probabilities(VelocityQuery query) {
    float[] ones = new float[query.count()];
    Arrays.fill(ones, 1f);
    return ones;
  }
}
