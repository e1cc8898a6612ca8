package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov &amp; Hutter) with global-norm gradient clipping, matching PyTorch's {@code
 * torch.optim.AdamW} + {@code clip_grad_norm_}. Written here because DJL's optimizers keep their
 * moments private, and exact resume needs them saved and restored ({@link #exportState()}, {@link
 * #importState(State)}).
 *
 * <p>One step, for every trainable parameter p with gradient g (after clipping) at step n:
 *
 * <pre>
 *   p ← p · (1 − lr·λ)
 *   m ← β₁·m + (1 − β₁)·g          v ← β₂·v + (1 − β₂)·g²
 *   p ← p − lr · (m / (1 − β₁ⁿ)) / (√(v / (1 − β₂ⁿ)) + ε)
 * </pre>
 *
 * Moments live in this optimizer's own manager, keyed by the parameter's name in the model.
 */
public final class AdamW implements AutoCloseable {
  private final AdamWConfig config;
  private final NDManager stateManager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  public AdamW(AdamWConfig config, NDManager parent) {
    this.config = config;
    this.stateManager = parent.newSubManager();
  }

  /** The saved form of the optimizer: its step count and both moments of every parameter. */
  public record State(
      long steps,
      Map<String, TensorSnapshot> firstMoments,
      Map<String, TensorSnapshot> secondMoments) {}

  /**
   * Clips the parameters' own gradients, updates every trainable parameter in place, then zeroes
   * the gradients.
   *
   * @param parameters the model's parameters, as {@code block.getParameters()} names them
   * @param learningRate this step's learning rate (a schedule may vary it)
   * @return the global gradient norm before clipping
   */
  public double step(PairList<String, Parameter> parameters, double learningRate) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      for (Pair<String, Parameter> named : parameters) {
        if (named.getValue().requiresGradient()) {
          gradients.put(named.getKey(), named.getValue().getArray().getGradient());
        }
      }
      double norm = GradientClipping.globalNorm(gradients.values());
      step(parameters, gradients, norm, learningRate);
      gradients.values().forEach(g -> g.subi(g));
      return norm;
    }
  }

  /**
   * Clips {@code gradients} to the configured global norm and updates every trainable parameter in
   * place; the gradients are read, not changed.
   *
   * @param gradients the gradient of each trainable parameter, by name, on its device, fp32
   * @param norm their global norm ({@link GradientClipping#globalNorm})
   * @throws ArithmeticException when the norm is not finite (nothing is updated)
   */
  public void step(
      PairList<String, Parameter> parameters,
      Map<String, NDArray> gradients,
      double norm,
      double learningRate) {
    if (!Double.isFinite(norm)) {
      throw new ArithmeticException("gradient norm is " + norm + " at step " + (steps + 1));
    }
    // Autograd is off here; the scope closes every temporary of the update.
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      float clip = GradientClipping.scaleFor(norm, config.maxGradNorm());
      steps++;
      double correction1 = 1 - Math.pow(config.beta1(), steps);
      double correction2 = 1 - Math.pow(config.beta2(), steps);
      ScalarTensors scalars = new ScalarTensors(stateManager);
      for (Pair<String, Parameter> named : parameters) {
        if (!named.getValue().requiresGradient()) {
          continue;
        }
        NDArray weight = named.getValue().getArray();
        NDArray gradient = gradients.get(named.getKey());
        if (gradient == null) {
          throw new IllegalArgumentException("no gradient for " + named.getKey());
        }
        NDArray g = clip == 1f ? gradient : gradient.mul(scalars.of(clip, weight));
        NDArray m = moment(firstMoments, named.getKey(), weight);
        NDArray v = moment(secondMoments, named.getKey(), weight);
        m.muli(scalars.of(config.beta1(), m)).addi(g.mul(scalars.of(1 - config.beta1(), m)));
        v.muli(scalars.of(config.beta2(), v))
            .addi(g.square().mul(scalars.of(1 - config.beta2(), v)));
        if (config.weightDecay() > 0 && decays(named.getKey(), weight)) {
          weight.muli(scalars.of(1 - learningRate * config.weightDecay(), weight));
        }
        NDArray denominator =
            v.div(scalars.of(correction2, v)).sqrt().add(scalars.of(config.epsilon(), v));
        weight.subi(m.mul(scalars.of(learningRate / correction1, m)).div(denominator));
      }
    }
  }

  /** A step at the configured learning rate. */
  public double step(PairList<String, Parameter> parameters) {
    return step(parameters, config.learningRate());
  }

  /** Completed steps (n in the bias correction). */
  public long steps() {
    return steps;
  }

  /** The first moment of parameter {@code name}, or null before its first update. */
  public NDArray firstMoment(String name) {
    return firstMoments.get(name);
  }

  /** The second moment of parameter {@code name}, or null before its first update. */
  public NDArray secondMoment(String name) {
    return secondMoments.get(name);
  }

  public State exportState() {
    return new State(steps, snapshot(firstMoments), snapshot(secondMoments));
  }

  /** Replaces this optimizer's state with {@code state}. */
  public void importState(State state) {
    clear(firstMoments);
    clear(secondMoments);
    state.firstMoments().forEach((k, s) -> firstMoments.put(k, detached(s)));
    state.secondMoments().forEach((k, s) -> secondMoments.put(k, detached(s)));
    steps = state.steps();
  }

  /**
   * Starts a restore that brings the moments in one tensor at a time (a checkpoint of a large model
   * need not be held in the heap whole): drops every moment and sets the step count.
   */
  public void resetState(long restoredSteps) {
    clear(firstMoments);
    clear(secondMoments);
    steps = restoredSteps;
  }

  /** Restores the first moment of parameter {@code name} (after {@link #resetState}). */
  public void restoreFirstMoment(String name, TensorSnapshot value) {
    NDArray previous = firstMoments.put(name, detached(value));
    if (previous != null) {
      previous.close();
    }
  }

  /** Restores the second moment of parameter {@code name} (after {@link #resetState}). */
  public void restoreSecondMoment(String name, TensorSnapshot value) {
    NDArray previous = secondMoments.put(name, detached(value));
    if (previous != null) {
      previous.close();
    }
  }

  /** Names of the parameters that have moments, in the order they were first updated. */
  public Set<String> momentNames() {
    return Collections.unmodifiableSet(firstMoments.keySet());
  }

  @Override
  public void close() {
    stateManager.close();
  }

  private NDArray moment(Map<String, NDArray> moments, String name, NDArray like) {
    return moments.computeIfAbsent(
        name,
        k -> {
          NDArray zeros = stateManager.zeros(like.getShape(), like.getDataType(), like.getDevice());
          NDScope.unregister(zeros);
          return zeros;
        });
  }

  private NDArray detached(TensorSnapshot snapshot) {
    NDArray array = snapshot.toNDArray(stateManager);
    NDScope.unregister(array);
    return array;
  }

  private static Map<String, TensorSnapshot> snapshot(Map<String, NDArray> moments) {
    Map<String, TensorSnapshot> out = new LinkedHashMap<>();
    moments.forEach((k, v) -> out.put(k, TensorSnapshot.of(v)));
    return out;
  }

  private static void clear(Map<String, NDArray> moments) {
    moments.values().forEach(NDArray::close);
    moments.clear();
  }

  /**
   * Whether decoupled weight decay applies to a parameter: matrices and convolution kernels do;
   * vectors (biases, LayerNorm scales and shifts) and the class-embedding table do not, as usual
   * for transformers (decaying them pulls norms and embeddings towards zero for no regularising
   * gain).
   */
  static boolean decays(String name, NDArray value) {
    return value.getShape().dimension() >= 2 && !name.endsWith(CLASS_TABLE);
  }

  /** The suffix of the class-embedding table's name ({@code ClassEmbedding}'s parameter). */
  private static final String CLASS_TABLE = "classes_table";
}
