package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void twoStepsMatchTheHandComputedAdamWUpdate() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.01;
    PairList<String, Parameter> params = parameter(1.0f, -2.0f, 0.5f);
    try (AdamW adamW = new AdamW(new AdamWConfig(lr, b1, b2, eps, wd, 0), manager)) {
      // Step 1: gradient g1 = (0.5, -1, 2).
      setGradient(params, 0.5f, -1f, 2f);
      adamW.step(params);
      // Step 2: gradient g2 = (-0.25, 3, 1).
      setGradient(params, -0.25f, 3f, 1f);
      adamW.step(params);

      double[] w = {1.0, -2.0, 0.5};
      double[] g1 = {0.5, -1, 2};
      double[] g2 = {-0.25, 3, 1};
      double[] expected = new double[3];
      double[] m = new double[3];
      for (int i = 0; i < 3; i++) {
        // step 1
        double m1 = (1 - b1) * g1[i];
        double v1 = (1 - b2) * g1[i] * g1[i];
        double w1 = w[i] * (1 - lr * wd) - lr * (m1 / (1 - b1)) / (Math.sqrt(v1 / (1 - b2)) + eps);
        // step 2
        double m2 = b1 * m1 + (1 - b1) * g2[i];
        double v2 = b2 * v1 + (1 - b2) * g2[i] * g2[i];
        double mHat = m2 / (1 - b1 * b1);
        double vHat = v2 / (1 - b2 * b2);
        expected[i] = w1 * (1 - lr * wd) - lr * mHat / (Math.sqrt(vHat) + eps);
        m[i] = m2;
      }
      // e.g. w[0]: 1 → 0.899 → 0.7990… (first step moves every weight by lr against sign(g)).
      float[] actual = params.get(0).getValue().getArray().toFloatArray();
      float[] firstMoment = adamW.firstMoment("w").toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-6));
        assertThat((double) firstMoment[i]).isCloseTo(m[i], within(1e-7));
      }
      assertThat(adamW.steps()).isEqualTo(2);
    }
  }

  @Test
  void gradientsAreClippedToTheGlobalNormBeforeTheMomentsSeeThem() {
    PairList<String, Parameter> params = parameter(0f, 0f);
    try (AdamW adamW = new AdamW(new AdamWConfig(0.1, 0.9, 0.999, 1e-8, 0, 1.0), manager)) {
      setGradient(params, 3f, 4f);

      double norm = adamW.step(params);

      assertThat(norm).isCloseTo(5.0, within(1e-6));
      float[] m = adamW.firstMoment("w").toFloatArray();
      assertThat((double) m[0]).isCloseTo(0.1 * 3 / 5, within(1e-6));
      assertThat((double) m[1]).isCloseTo(0.1 * 4 / 5, within(1e-6));
      assertThat(params.get(0).getValue().getArray().getGradient().toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void aRestoredStateContinuesBitForBit() {
    AdamWConfig config = new AdamWConfig(0.05, 0.9, 0.99, 1e-8, 0.1, 1.0);
    PairList<String, Parameter> a = parameter(1f, 2f, 3f);
    PairList<String, Parameter> b = parameter(1f, 2f, 3f);
    try (AdamW first = new AdamW(config, manager);
        AdamW second = new AdamW(config, manager)) {
      for (float g : new float[] {0.3f, -1.2f}) {
        setGradient(a, g, 2 * g, -g);
        first.step(a);
      }
      second.importState(first.exportState());
      b.get(0).getValue().getArray().set(a.get(0).getValue().getArray().toFloatArray());

      setGradient(a, 0.7f, 0.1f, -0.4f);
      first.step(a);
      setGradient(b, 0.7f, 0.1f, -0.4f);
      second.step(b);

      assertThat(b.get(0).getValue().getArray().toFloatArray())
          .isEqualTo(a.get(0).getValue().getArray().toFloatArray());
      assertThat(second.exportState()).isEqualTo(first.exportState());
    }
  }

  private PairList<String, Parameter> parameter(float... values) {
    Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
    // A 1 × n matrix: weight decay applies to matrices, not to vectors such as biases.
    p.setArray(manager.create(values, new ai.djl.ndarray.types.Shape(1, values.length)));
    p.getArray().setRequiresGradient(true);
    PairList<String, Parameter> list = new PairList<>();
    list.add("w", p);
    return list;
  }

  /** Makes the parameter's gradient exactly {@code g}: backward of Σ w·g. */
  private void setGradient(PairList<String, Parameter> params, float... g) {
    NDArray w = params.get(0).getValue().getArray();
    w.getGradient().subi(w.getGradient());
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(w.mul(manager.create(g, w.getShape())).sum());
    }
  }

  @Test
  void weightDecayReachesMatricesAndKernelsButNotBiasesNormsOrTheClassTable() {
    try (NDManager manager = NDManager.newBaseManager()) {
      dev.archipelago.trainer.model.DiffusionTransformer model =
          new dev.archipelago.trainer.model.DiffusionTransformer(
              dev.archipelago.trainer.model.DitPreset.TINY.config(8, 3, 5, 0.1));
      model.initializeParameters(manager, ai.djl.ndarray.types.DataType.FLOAT32);
      java.util.List<String> decayed = new java.util.ArrayList<>();
      java.util.List<String> kept = new java.util.ArrayList<>();
      for (var named : model.getParameters()) {
        (AdamW.decays(named.getKey(), named.getValue().getArray()) ? decayed : kept)
            .add(named.getKey());
      }
      assertThat(decayed)
          .anyMatch(n -> n.contains("projection"))
          .anyMatch(n -> n.endsWith("weight"));
      assertThat(decayed).noneMatch(n -> n.endsWith("bias") || n.endsWith("table"));
      assertThat(kept).anyMatch(n -> n.endsWith("bias")).anyMatch(n -> n.endsWith("classes_table"));
      assertThat(kept)
          .as("1-D parameters only, and the class table")
          .allMatch(
              n ->
                  n.endsWith("classes_table")
                      || model.getParameters().get(n).getArray().getShape().dimension() == 1);
    }
  }
}
