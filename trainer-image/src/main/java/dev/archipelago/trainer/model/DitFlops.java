package dev.archipelago.trainer.model;

/**
 * FLOPs of one forward pass on one image, counted as the DiT paper counts them: the matrix products
 * (two FLOPs per multiply-add), leaving out norms, activations and the softmax.
 */
public final class DitFlops {
  private DitFlops() {}

  /** A {@link DiffusionTransformer}: the trunk and the per-token output layer. */
  public static long expert(DitConfig c) {
    long d = c.hiddenSize();
    long outputs = (long) c.patchSize() * c.patchSize() * c.inChannels();
    return trunk(c) + 2 * d * 2 * d + 2L * c.tokens() * d * outputs;
  }

  /** A {@link DiffusionRouter}: the trunk, the pooled modulation and the K logits. */
  public static long router(DitConfig c, int experts) {
    long d = c.hiddenSize();
    return trunk(c) + 2 * d * 2 * d + 2 * d * experts;
  }

  private static long trunk(DitConfig c) {
    long t = c.tokens();
    long d = c.hiddenSize();
    long patch = (long) c.patchSize() * c.patchSize() * c.inChannels();
    long embed = 2 * t * patch * d + 2 * (DitConfig.TIMESTEP_FREQUENCIES * d + d * d);
    long block =
        2 * d * 6 * d // adaLN modulation, once per image
            + 2 * t * d * 3 * d // q, k, v
            + 2 * 2 * t * t * d // scores and their weighted sum of values
            + 2 * t * d * d // attention output
            + 2 * 2 * t * d * c.mlpHiddenSize(); // MLP
    return embed + c.depth() * block;
  }
}
