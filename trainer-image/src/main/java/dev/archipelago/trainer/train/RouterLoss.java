package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;

/** Cross-entropy of the router's expert logits against each sample's cluster. */
public final class RouterLoss {
  private RouterLoss() {}

  /** Mean over the batch of −log softmax(logits)[cluster]; logits [B, K], clusters [B] (INT64). */
  public static NDArray crossEntropy(NDArray logits, NDArray clusters) {
    long experts = logits.getShape().get(1);
    NDArray oneHot = clusters.oneHot((int) experts, logits.getDataType());
    return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
  }
}
