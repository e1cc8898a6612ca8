package dev.archipelago.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** An engine-independent copy of a float tensor, for saving optimizer and EMA state. */
public record TensorSnapshot(long[] shape, float[] values) {

  public static TensorSnapshot of(NDArray array) {
    return new TensorSnapshot(array.getShape().getShape(), array.toFloatArray());
  }

  public NDArray toNDArray(NDManager manager) {
    return manager.create(values, new Shape(shape));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSnapshot other
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "TensorSnapshot" + Arrays.toString(shape);
  }
}
