package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.model.DitConfig;
import java.util.List;

/**
 * A batch noised as experts and router both train on it: step n's draws (from the seed) give t, ε
 * and the dropped labels; the model sees x_t = (1 − t)·x0 + t·ε, t and, when conditional, labels.
 *
 * @param inputs the model's inputs: x_t, t (and labels)
 * @param x0 the clean images
 * @param noise ε
 */
record NoisedBatch(NDList inputs, NDArray x0, NDArray noise) {
  static NoisedBatch draw(
      NDManager scope,
      List<Sample> batch,
      DitConfig config,
      TimeSampler timeSampler,
      long seed,
      long step) {
    int sampleSize = config.inChannels() * config.imageSize() * config.imageSize();
    int[] labels = config.classConditional() ? Batches.labels(batch) : null;
    StepNoise draws =
        StepNoise.draw(
            seed,
            step,
            batch.size(),
            sampleSize,
            timeSampler,
            labels,
            config.numClasses(),
            config.classDropout());
    NDArray x0 = Batches.images(scope, batch);
    NDArray eps = scope.create(draws.noise(), x0.getShape());
    NDArray t = scope.create(draws.times(), new Shape(batch.size()));
    NDList inputs = new NDList(RectifiedFlow.interpolate(x0, eps, t), t);
    if (labels != null) {
      inputs.add(scope.create(draws.labels()));
    }
    return new NoisedBatch(inputs, x0, eps);
  }
}
