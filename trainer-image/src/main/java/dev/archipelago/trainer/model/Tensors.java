package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;

/**
 * Small tensor operations shared by the DiT blocks.
 *
 * <p>Trap: on DJL's PyTorch engine {@code x.mul(2f)} (any op with a Number operand) wraps the
 * number in a tensor over a Java direct buffer and closes it right after the op. When autograd
 * saved that tensor for backward (mul/div of a tensor that needs a gradient), backward reads memory
 * the garbage collector may already have freed: rare, huge or infinite gradients. Model code
 * therefore never passes Number operands on the gradient path; constants are tensors attached to
 * the batch's manager ({@link #constant}), which lives until the step ends.
 */
final class Tensors {
  private static final float LAYER_NORM_EPS = 1e-6f;

  private Tensors() {}

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

  /** A scalar tensor that lives as long as {@code like}'s manager (the step's). */
  static NDArray constant(NDArray like, float value) {
    return like.getManager().create(value).toType(like.getDataType(), false);
  }
}
