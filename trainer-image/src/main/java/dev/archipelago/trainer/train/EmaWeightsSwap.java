package dev.archipelago.trainer.train;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs something with a model's EMA weights in place of its live ones, then puts the live weights
 * back bit for bit (so training, and exact resume, are unaffected). Used to measure the weights
 * that will be served, not the ones being trained.
 */
public final class EmaWeightsSwap {
  private EmaWeightsSwap() {}

  public static <T> T with(
      PairList<String, Parameter> parameters, ExponentialMovingAverage ema, Supplier<T> work) {
    List<float[]> live = new ArrayList<>(parameters.size());
    for (Pair<String, Parameter> named : parameters) {
      live.add(named.getValue().getArray().toFloatArray());
    }
    ema.copyTo(parameters);
    try {
      return work.get();
    } finally {
      int i = 0;
      for (Pair<String, Parameter> named : parameters) {
        named.getValue().getArray().set(live.get(i++));
      }
    }
  }
}
