package dev.archipelago.trainer.gmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed forms of {@link NoisedMixture} held to Monte-Carlo estimates over (x0, ε) draws. A
 * conditional expectation is the one function whose residual is orthogonal to every function of
 * x_t: so E[1{k = j} − r*_j(x_t)] = 0 and E[(1{k = j} − r*_j)·r*_j] = 0 for the posterior, and E[e]
 * = 0 and E[e ⊙ x_t] = 0 for the velocity residual e = (ε − x0) − v*(x_t). Each is checked to
 * within 5 standard errors; the same statistic with the time convention flipped (x_t = t·x0 +
 * (1−t)·ε, a common mix-up) exceeds 5 standard errors, so the check can fail.
 */
class NoisedMixtureTest {
  private static final int DRAWS = 100_000;
  private static final double Z = 5;
  private static final GaussianMixture MIXTURE = GaussianMixture.random(4, 6, 2.0, 1.0, 3);

  @ParameterizedTest(name = "t = {0}")
  @ValueSource(doubles = {0.2, 0.6, 0.9})
  void thePosteriorIsCalibratedAndTheVelocityIsTheConditionalMean(double t) {
    NoisedMixture exact = new NoisedMixture(MIXTURE);
    Moments posterior = new Moments();
    Moments wrongPosterior = new Moments();
    Moments velocity = new Moments();
    Moments wrongVelocity = new Moments();
    SplittableRandom random = new SplittableRandom(Double.hashCode(t));
    GaussianMixture.Draws draws = MIXTURE.sample(DRAWS, random);
    for (int i = 0; i < DRAWS; i++) {
      double[] x0 = draws.x()[i];
      double[] eps = new double[x0.length];
      double[] xt = new double[x0.length];
      for (int j = 0; j < x0.length; j++) {
        eps[j] = random.nextGaussian();
        xt[j] = (1 - t) * x0[j] + t * eps[j];
      }
      posterior.addCalibration(exact.posterior(xt, t), draws.component()[i]);
      wrongPosterior.addCalibration(exact.posterior(xt, 1 - t), draws.component()[i]);
      velocity.addResidual(exact.velocity(xt, t), x0, eps, xt);
      wrongVelocity.addResidual(exact.velocity(xt, 1 - t), x0, eps, xt);
    }
    assertThat(posterior.worstZ()).as("posterior calibration, |z|").isLessThan(Z);
    assertThat(velocity.worstZ()).as("velocity residual, |z|").isLessThan(Z);
    assertThat(wrongPosterior.worstZ()).as("a wrong posterior is caught").isGreaterThan(Z);
    assertThat(wrongVelocity.worstZ()).as("a wrong velocity is caught").isGreaterThan(Z);
  }

  @Test
  void atPureNoiseThePosteriorIsThePriorAndAtTheDataTheVelocityIsMinusX() {
    NoisedMixture exact = new NoisedMixture(MIXTURE);
    double[] x = MIXTURE.sample(1, new SplittableRandom(1)).x()[0];
    double[] prior = exact.posterior(x, 1.0);
    for (int k = 0; k < MIXTURE.components(); k++) {
      assertThat(prior[k]).isCloseTo(MIXTURE.weights()[k], within(1e-12));
    }
    double[] v0 = exact.velocity(x, 0.0);
    for (int j = 0; j < x.length; j++) {
      assertThat(v0[j]).isCloseTo(-x[j], within(1e-12));
    }
  }

  /** Running means and variances of several statistics that should all be zero. */
  private static final class Moments {
    private double[] sum;
    private double[] squares;
    private long n;

    void addCalibration(double[] r, int component) {
      double[] values = new double[2 * r.length];
      for (int j = 0; j < r.length; j++) {
        double residual = (component == j ? 1 : 0) - r[j];
        values[2 * j] = residual;
        values[2 * j + 1] = residual * r[j];
      }
      add(values);
    }

    void addResidual(double[] v, double[] x0, double[] eps, double[] xt) {
      double[] values = new double[2 * v.length];
      for (int j = 0; j < v.length; j++) {
        double residual = eps[j] - x0[j] - v[j];
        values[2 * j] = residual;
        values[2 * j + 1] = residual * xt[j];
      }
      add(values);
    }

    private void add(double[] values) {
      if (sum == null) {
        sum = new double[values.length];
        squares = new double[values.length];
      }
      for (int j = 0; j < values.length; j++) {
        sum[j] += values[j];
        squares[j] += values[j] * values[j];
      }
      n++;
    }

    /** The largest |mean / standard error| over the statistics. */
    double worstZ() {
      double worst = 0;
      for (int j = 0; j < sum.length; j++) {
        double mean = sum[j] / n;
        double variance = squares[j] / n - mean * mean;
        worst = Math.max(worst, Math.abs(mean) / Math.sqrt(variance / n));
      }
      return worst;
    }
  }
}
