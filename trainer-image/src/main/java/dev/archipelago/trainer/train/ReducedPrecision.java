package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Conversions a reduced-precision replica needs on the gradient path. */
final class ReducedPrecision {
  private ReducedPrecision() {}

  /**
   * The floating outputs in fp32, differentiably, so the loss and its scaling are computed in fp32.
   * DJL's {@code toType} runs without autograd (it would cut the graph); adding a one-element fp32
   * zero promotes the type instead, exactly (x + 0 = x), and backward casts the gradient back.
   */
  static NDList toFloat32(NDList outputs) {
    NDList out = new NDList(outputs.size());
    for (NDArray output : outputs) {
      out.add(
          output.getDataType() == DataType.FLOAT16
              ? output.add(output.getManager().zeros(new Shape(1), DataType.FLOAT32))
              : output);
    }
    return out;
  }
}
