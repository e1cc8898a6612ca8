package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An exponential moving average of the model's weights, ema ← d·ema + (1 − d)·w after each step,
 * started from the initial weights, with a warm-up: the n-th update (from 0) uses d = min(β, (1 +
 * n) / (10 + n)), as TensorFlow's num_updates EMA does. A fixed β = 0.9999 would leave the served
 * weights 93 % initialisation after 700 steps; with the warm-up the average spans about the last
 * tenth of a short run and settles at β for a long one. Samples are drawn from these weights.
 */
public final class ExponentialMovingAverage implements AutoCloseable {
  private final double decay;
  private final NDManager manager;
  private final Map<String, NDArray> shadow = new LinkedHashMap<>();

  public ExponentialMovingAverage(
      double decay, PairList<String, Parameter> parameters, NDManager parent) {
    if (decay < 0 || decay >= 1) {
      throw new IllegalArgumentException("EMA decay must be in [0, 1): " + decay);
    }
    this.decay = decay;
    this.manager = parent.newSubManager();
    for (Pair<String, Parameter> named : parameters) {
      NDArray copy = named.getValue().getArray().duplicate();
      copy.attach(manager);
      shadow.put(named.getKey(), copy);
    }
  }

  /** The decay of update {@code n} (0 for the first): the warm-up, capped at β. */
  public double decayAt(long n) {
    return Math.min(decay, (1.0 + n) / (10.0 + n));
  }

  /**
   * @param n updates before this one (the optimizer's step count: skipped fp16 steps skip both, and
   *     it is checkpointed, so a resumed run continues the same schedule)
   */
  public void update(PairList<String, Parameter> parameters, long n) {
    double decay = decayAt(n);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      ScalarTensors scalars = new ScalarTensors(manager);
      for (Pair<String, Parameter> named : parameters) {
        NDArray average = shadow.get(named.getKey());
        average
            .muli(scalars.of(decay, average))
            .addi(named.getValue().getArray().mul(scalars.of(1 - decay, average)));
      }
    }
  }

  /** The averaged value of parameter {@code name}. */
  public NDArray get(String name) {
    return shadow.get(name);
  }

  public Map<String, TensorSnapshot> exportState() {
    Map<String, TensorSnapshot> out = new LinkedHashMap<>();
    shadow.forEach((k, v) -> out.put(k, TensorSnapshot.of(v)));
    return out;
  }

  public void importState(Map<String, TensorSnapshot> state) {
    if (!state.keySet().equals(shadow.keySet())) {
      throw new IllegalArgumentException("EMA state names do not match the model's parameters");
    }
    state.forEach(
        (k, s) -> {
          NDArray restored = s.toNDArray(manager);
          shadow.put(k, restored).close();
        });
  }

  /** Restores the average of one parameter, so a checkpoint can be read tensor by tensor. */
  public void restore(String name, TensorSnapshot value) {
    NDArray current = shadow.get(name);
    if (current == null) {
      throw new IllegalArgumentException("the model has no parameter " + name);
    }
    if (!current.getShape().equals(new Shape(value.shape()))) {
      throw new IllegalArgumentException("EMA shape of " + name + " differs from the model's");
    }
    shadow.put(name, value.toNDArray(manager)).close();
  }

  /** Names of the averaged parameters, in the model's order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(shadow.keySet());
  }

  /**
   * Copies the averaged weights into {@code parameters} (e.g. a second model used for sampling).
   */
  public void copyTo(PairList<String, Parameter> parameters) {
    for (Pair<String, Parameter> named : parameters) {
      named.getValue().getArray().set(shadow.get(named.getKey()).toFloatArray());
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
