package dev.archipelago.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.data.ImageFormat;
import dev.archipelago.trainer.data.LocalShardDirectory;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.data.ShuffledSampleStream;
import dev.archipelago.trainer.data.shapes.ShapesDatasetGenerator;
import dev.archipelago.trainer.model.DiffusionRouter;
import dev.archipelago.trainer.model.DitConfig;
import dev.archipelago.trainer.model.DitPreset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short router run on a planted two-way split of the shapes: cluster 1 holds the images brighter
 * than mid-grey on average (mostly the white backgrounds), cluster 0 the rest. Samples are noised
 * with t ~ U(0, 0.3) so the split stays visible. The split is unbalanced, so the bar is the entropy
 * of the cluster frequencies (the cross-entropy of the best input-blind guess): after {@value
 * #STEPS} steps at lr 1e-3 the router must be below half of it. (Recognising shape kinds takes far
 * more steps than a unit test can afford; the held-out accuracy check belongs to the router's own
 * run.)
 */
class RouterTrainingTest {
  private static final int STEPS = 40;
  private static final int BATCH = 16;
  private static final int WINDOW = 10;
  @TempDir Path dir;

  @Test
  void theTinyRoutersCrossEntropyFallsOnAPlantedSplitOfLightlyNoisedShapes() throws IOException {
    new ShapesDatasetGenerator(8).generate(192, 16, 64, new LocalShardDirectory(dir));
    ShuffledSampleStream data =
        new ShuffledSampleStream(
            new LocalShardDirectory(dir), ImageFormat.rgb(16), 8, true, DataCursor.START);
    DitConfig config = DitPreset.TINY.config(16, 3, 0, 0).withImageSize(16);
    Engine.getInstance().setRandomSeed(8);

    List<Float> losses = new ArrayList<>();
    int[] clusterCounts = new int[2];
    try (NDManager manager = NDManager.newBaseManager()) {
      DiffusionRouter router = new DiffusionRouter(config, 2);
      router.initializeParameters(manager, DataType.FLOAT32);
      TimeSampler lightNoise = random -> (float) (0.3 * random.nextDouble());
      try (RouterTrainer trainer =
          new RouterTrainer(
              router,
              manager,
              TrainingPlacement.single(manager.getDevice()),
              AdamWConfig.defaults().withLearningRate(1e-3),
              0.999,
              lightNoise,
              8)) {
        for (int i = 0; i < STEPS; i++) {
          List<Sample> batch = data.nextBatch(BATCH);
          int[] clusters = batch.stream().mapToInt(RouterTrainingTest::brightness).toArray();
          for (int c : clusters) {
            clusterCounts[c]++;
          }
          losses.add(trainer.trainStep(batch, clusters));
        }
      }
    }

    double first = mean(losses.subList(0, WINDOW));
    double last = mean(losses.subList(STEPS - WINDOW, STEPS));
    double prior = entropy(clusterCounts);
    System.out.printf(
        "router cross-entropy: first %d steps %.4f, last %d steps %.4f, prior entropy %.4f%n",
        WINDOW, first, WINDOW, last, prior);
    assertThat(clusterCounts).doesNotContain(0);
    assertThat(last).isLessThan(0.5 * prior);
  }

  private static int brightness(Sample sample) {
    double sum = 0;
    for (float v : sample.pixels()) {
      sum += v;
    }
    return sum > 0 ? 1 : 0;
  }

  private static double entropy(int[] counts) {
    double total = counts[0] + counts[1];
    double h = 0;
    for (int n : counts) {
      h -= n / total * Math.log(n / total);
    }
    return h;
  }

  private static double mean(List<Float> values) {
    return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
  }
}
