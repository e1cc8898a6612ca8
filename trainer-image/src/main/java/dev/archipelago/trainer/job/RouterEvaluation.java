package dev.archipelago.trainer.job;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.archipelago.api.contract.NoiseLevelAccuracy;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.random.Seeds;
import dev.archipelago.trainer.train.Batches;
import dev.archipelago.trainer.train.RectifiedFlow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The router's held-out accuracy at the times the served sampler asks it (x_t = (1 − t)·x0 + t·ε, t
 * = 1 pure noise), with noise drawn from the seed so that successive reports are comparable. At t =
 * 1 the input carries no information about x0, so the best possible accuracy is the largest
 * cluster's share: accuracy should fall towards it as t grows.
 */
public final class RouterEvaluation {
  /** At most this many of the sampler's times are measured (evenly spread, t = 1 always). */
  public static final int MAX_LEVELS = 16;

  private static final int CHUNK = 64;
  private static final long EVAL_STREAM = 41;

  private final List<Sample> samples;
  private final int[] clusters;
  private final long seed;
  private final double[] levels;

  /**
   * @param levels the noise levels to measure, e.g. {@link #samplerGrid}
   */
  public RouterEvaluation(List<Sample> samples, int[] clusters, long seed, double[] levels) {
    if (samples.size() != clusters.length) {
      throw new IllegalArgumentException("one cluster per held-out sample expected");
    }
    this.samples = List.copyOf(samples);
    this.clusters = clusters.clone();
    this.seed = seed;
    this.levels = levels.clone();
  }

  /**
   * The times at which a sampler of {@code steps} steps evaluates the models: t = 1, 1 − 1/steps,
   * …, 1/steps (Euler's; Heun's second evaluations fall on the same times, and its last step is an
   * Euler step, so no model is asked at t = 0). Above {@link #MAX_LEVELS} steps, an even subset
   * that keeps t = 1 and the last time.
   */
  public static double[] samplerGrid(int steps) {
    int levels = Math.min(steps, MAX_LEVELS);
    double[] out = new double[levels];
    for (int i = 0; i < levels; i++) {
      int step = levels == 1 ? 0 : (int) Math.round(i * (steps - 1) / (double) (levels - 1));
      out[i] = 1.0 - (double) step / steps;
    }
    return out;
  }

  public int size() {
    return samples.size();
  }

  /** Accuracy per noise level of {@code router}'s current weights (no gradients recorded). */
  public List<NoiseLevelAccuracy> evaluate(DiffusionRouter router, NDManager parent) {
    List<NoiseLevelAccuracy> out = new ArrayList<>();
    if (samples.isEmpty()) {
      return out;
    }
    for (int level = 0; level < levels.length; level++) {
      float t = (float) levels[level];
      int correct = 0;
      for (int start = 0; start < samples.size(); start += CHUNK) {
        List<Sample> chunk = samples.subList(start, Math.min(samples.size(), start + CHUNK));
        try (NDManager scope = parent.newSubManager()) {
          NDArray x0 = Batches.images(scope, chunk);
          SplittableRandom random = Seeds.random(seed, EVAL_STREAM, level, start);
          float[] noise = new float[(int) x0.size()];
          for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
          }
          float[] times = new float[chunk.size()];
          Arrays.fill(times, t);
          NDArray time = scope.create(times, new Shape(chunk.size()));
          NDList inputs =
              new NDList(
                  RectifiedFlow.interpolate(x0, scope.create(noise, x0.getShape()), time), time);
          if (router.config().classConditional()) {
            long[] labels = new long[chunk.size()];
            int[] given = Batches.labels(chunk);
            for (int i = 0; i < labels.length; i++) {
              labels[i] = given[i];
            }
            inputs.add(scope.create(labels));
          }
          NDArray logits =
              router.forward(new ParameterStore(scope, false), inputs, false).singletonOrThrow();
          long[] predicted = logits.argMax(1).toLongArray();
          for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == clusters[start + i]) {
              correct++;
            }
          }
        }
      }
      out.add(new NoiseLevelAccuracy(levels[level], correct / (double) samples.size()));
    }
    return out;
  }
}
