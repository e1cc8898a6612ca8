package dev.archipelago.trainer.bench;

import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.gmm.ExactEnsemble;
import dev.archipelago.trainer.gmm.GaussianMixture;
import dev.archipelago.trainer.gmm.MixtureSampleReport;
import dev.archipelago.trainer.gmm.NoisedMixture;
import dev.archipelago.trainer.gmm.OracleSampling;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.Routing;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The oracle experiment: the exact router r* and exact experts v*_k of a Gaussian mixture, sampled
 * with each of the server's strategies. With no learning error left, what a strategy gets wrong is
 * its own bias. Prints, per strategy, the weight distance (½ Σ |share − π|) and the π-weighted mean
 * per-component Fréchet distance, mean ± sd over seeds (each seed: another mixture and other noise,
 * shared by all strategies), next to real draws of the same size (the noise floor).
 *
 * <p>Arguments: components dimension separation count seeds steps.
 */
public final class GmmOracleBench {
  private GmmOracleBench() {}

  private record Arm(String name, Routing routing, Sampler sampler, int expertsPerStep) {}

  public static void main(String[] args) {
    int components = Integer.parseInt(args[0]);
    int dimension = Integer.parseInt(args[1]);
    double separation = Double.parseDouble(args[2]);
    int count = Integer.parseInt(args[3]);
    int seeds = Integer.parseInt(args[4]);
    int steps = Integer.parseInt(args[5]);
    ImageShape shape = shapeOf(dimension);
    List<Arm> arms =
        List.of(
            new Arm("full", new Routing(InferenceStrategy.FULL, 0), Sampler.EULER, components),
            new Arm("top-2", new Routing(InferenceStrategy.TOPK, 2), Sampler.EULER, 2),
            new Arm("top-1", Routing.top1(), Sampler.EULER, 1),
            new Arm("sample", new Routing(InferenceStrategy.SAMPLE, 0), Sampler.EULER, 1),
            new Arm("full, heun", new Routing(InferenceStrategy.FULL, 0), Sampler.HEUN, components),
            new Arm("top-1, heun", Routing.top1(), Sampler.HEUN, 1));
    System.out.printf(
        "oracle: K=%d, d=%d, separation %.1f, %d samples, %d seeds, %d steps%n",
        components, dimension, separation, count, seeds, steps);
    System.out.println(
        "| arm | expert evaluations per image per step | weight distance | Fréchet (π-weighted) |");
    System.out.println("|---|---|---|---|");
    double[][] floor = new double[2][seeds];
    double[][][] results = new double[arms.size() + 1][2][seeds];
    for (int s = 0; s < seeds; s++) {
      GaussianMixture mixture =
          GaussianMixture.random(components, dimension, separation, 1.0, 1000 + s);
      ExactEnsemble oracle = new ExactEnsemble(new NoisedMixture(mixture), shape);
      record(
          floor,
          s,
          mixture,
          MixtureSampleReport.of(mixture, mixture.sample(count, new SplittableRandom(s)).x()));
      for (int a = 0; a < arms.size(); a++) {
        Arm arm = arms.get(a);
        double[][] samples =
            OracleSampling.sample(oracle, arm.routing(), arm.sampler(), steps, count, s);
        record(results[a], s, mixture, MixtureSampleReport.of(mixture, samples));
      }
      double[][] alone = OracleSampling.sampleOneExpert(oracle, 0, Sampler.EULER, steps, count, s);
      record(results[arms.size()], s, mixture, MixtureSampleReport.of(mixture, alone));
    }
    row("real draws (floor)", "–", floor);
    for (int a = 0; a < arms.size(); a++) {
      Arm arm = arms.get(a);
      int evaluations =
          arm.sampler() == Sampler.HEUN ? 2 * arm.expertsPerStep() : arm.expertsPerStep();
      row(arm.name(), Integer.toString(evaluations), results[a]);
    }
    row("expert 0 alone", "1", results[arms.size()]);
  }

  private static void record(double[][] into, int seed, GaussianMixture m, MixtureSampleReport r) {
    into[0][seed] = r.weightDistance();
    into[1][seed] = r.weightedFrechet(m.weights());
  }

  private static void row(String name, String evaluations, double[][] values) {
    System.out.printf(
        "| %s | %s | %s | %s |%n",
        name, evaluations, SeedSpread.of(values[0]), SeedSpread.of(values[1]));
  }

  /** d values as 1 × s × s when d is a square, else d × 1 × 1. */
  private static ImageShape shapeOf(int dimension) {
    int side = (int) Math.round(Math.sqrt(dimension));
    return side * side == dimension ? new ImageShape(1, side) : new ImageShape(dimension, 1);
  }
}
