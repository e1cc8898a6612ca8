package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.function.UnaryOperator;

/**
 * Small tensor operations shared by the DiT blocks.
 *
 * <p>Trap: on DJL's PyTorch engine {@code x.mul(2f)} (any op with a Number operand) wraps the
 * number in a tensor over a Java direct buffer and closes it right after the op. When autograd
 * saved that tensor for backward (mul/div of a tensor that needs a gradient), backward reads memory
 * the garbage collector may already have freed: rare, huge or infinite gradients. Model code
 * therefore never passes Number operands on the gradient path, and the constants it does need own
 * their storage ({@link #constant}): the trainer releases every array of a forward pass before its
 * backward pass, so only storage autograd itself references may be read there.
 */
final class Tensors {
  private static final float LAYER_NORM_EPS = 1e-6f;

  /**
   * Rows a per-sample linear layer runs on at least, at inference. BLAS kernels for matrices of few
   * rows sum in another order than those for many (MKL here: under 6 to 11 rows, by width), so a
   * sample's conditioning, and so its velocity, would depend on how many samples share its batch;
   * the token-wise layers (64 rows and more per sample) do not. Serving batches requests together,
   * and the same seed must give the same bytes whatever the load.
   */
  static final int MIN_LINEAR_ROWS = 32;

  private Tensors() {}

  /**
   * {@code linear(x)} for a per-sample [B, D] input, run at inference on at least {@link
   * #MIN_LINEAR_ROWS} rows, so that each row's result does not depend on B. Training runs it as is.
   */
  static NDArray batchInvariantLinear(
      Linear linear, ParameterStore store, NDArray x, boolean training) {
    return batchInvariant(
        x, training, rows -> linear.forward(store, new NDList(rows), training).singletonOrThrow());
  }

  /**
   * {@code op(x)} for an op that treats the rows of x (axis 0) independently but whose kernels
   * depend on how many there are (small matrix products; reductions, which PyTorch splits along the
   * reduced axis when the output is small): at inference x is padded to {@link #MIN_LINEAR_ROWS}
   * rows with copies of its first and the extra rows of the result dropped.
   */
  static NDArray batchInvariant(NDArray x, boolean training, UnaryOperator<NDArray> op) {
    long rows = x.getShape().get(0);
    if (training || rows >= MIN_LINEAR_ROWS) {
      return op.apply(x);
    }
    NDArray padded = x.concat(x.get("0:1").repeat(0, MIN_LINEAR_ROWS - rows), 0);
    return op.apply(padded).get("0:" + rows);
  }

  /**
   * LayerNorm over the last axis with no learned scale or shift: in adaLN the conditioning supplies
   * them, so learned ones would be redundant parameters.
   */
  static NDArray layerNormWithoutAffine(NDArray x) {
    long width = x.getShape().get(x.getShape().dimension() - 1);
    NDArray ones = x.getManager().ones(new Shape(width), x.getDataType(), x.getDevice());
    NDArray zeros = x.getManager().zeros(new Shape(width), x.getDataType(), x.getDevice());
    return x.getNDArrayInternal()
        .layerNorm(x, new Shape(width), ones, zeros, LAYER_NORM_EPS)
        .singletonOrThrow();
  }

  /** adaLN modulation: {@code x · (1 + scale) + shift}, with per-sample [B, 1, D] scale/shift. */
  static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
    return x.add(x.mul(scale)).add(shift);
  }

  /** SiLU, x · sigmoid(x). (DJL's swish multiplies by a Number first: see the class comment.) */
  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** The number type of a layer's weights (fp32, or fp16 in a reduced-precision replica). */
  static DataType weightType(Block layer) {
    return layer.getParameters().valueAt(0).getArray().getDataType();
  }

  /**
   * A scalar tensor with storage of its own: a copy of the Java-backed one {@code create} makes.
   * Autograd may save it for backward, and the trainer releases a forward pass's arrays before
   * backward (autograd's own references keep tensors alive, but not the Java buffer a created
   * tensor points into).
   */
  static NDArray constant(NDArray like, float value) {
    // duplicate() clones the storage; toType would return the same tensor when the type matches.
    try (NDArray javaBacked = like.getManager().create(value)) {
      return javaBacked.duplicate().toType(like.getDataType(), false);
    }
  }
}
