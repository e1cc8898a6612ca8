package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import dev.archipelago.trainer.model.RandomWeights;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * At inference an image's velocity and routing do not depend on how many images share its forward
 * pass: the per-sample linear layers run on at least 32 rows (small-matrix BLAS kernels sum in
 * another order), and the token-wise ones already have enough rows. So serving needs no padding of
 * whole passes ({@link PaddingCalibration} finds none) and batching across requests costs nothing
 * in reproducibility.
 */
class BatchInvarianceTest {
  private static final int FULL = 32;

  @ParameterizedTest(name = "{0}x{0}")
  @ValueSource(ints = {16, 32})
  void everyPassSizeGivesEachImageTheBitsOfTheFullPass(int size) {
    ImageShape shape = new ImageShape(3, size);
    DitConfig config = DitPreset.TINY.config(size, 3, 3, 0.1);
    try (NDManager manager = NDManager.newBaseManager();
        DjlExpert expert = new DjlExpert(config, manager);
        DjlRouter router = new DjlRouter(config, 4, manager)) {
      RandomWeights.perturb(expert.model(), 0.05f, manager);
      RandomWeights.perturb(router.model(), 0.5f, manager);
      SplittableRandom random = new SplittableRandom(size);
      float[] x = new float[FULL * shape.values()];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextDouble() * 2 - 1);
      }
      float[] t = new float[FULL];
      long[] labels = new long[FULL];
      for (int i = 0; i < FULL; i++) {
        t[i] = (float) random.nextDouble();
        labels[i] = random.nextInt(4);
      }
      for (RowForward model : new RowForward[] {expert, router}) {
        float[] full = model.forward(shape, x, t, labels);
        int width = full.length / FULL;
        for (int rows = 1; rows < FULL; rows++) {
          float[] part =
              model.forward(
                  shape,
                  Arrays.copyOf(x, rows * shape.values()),
                  Arrays.copyOf(t, rows),
                  Arrays.copyOf(labels, rows));
          assertThat(Arrays.equals(part, 0, part.length, full, 0, rows * width))
              .as("%s, a pass of %d images", model.getClass().getSimpleName(), rows)
              .isTrue();
        }
      }
      assertThat(PaddingCalibration.rows("expert", expert, shape, 3, FULL)).isZero();
      assertThat(PaddingCalibration.rows("router", router, shape, 3, FULL)).isZero();
    }
  }
}
