package dev.archipelago.trainer.serve;

/** The router: p(k | x_t, t) for every image of a query. */
public interface ExpertRouter {
  int experts();

  /** Row-major [count, experts] probabilities; each row sums to 1. */
  float[] probabilities(VelocityQuery query);
}
