package dev.archipelago.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Scalar operands made once per update and shared by every parameter. DJL turns each Number operand
 * ({@code x.mul(0.9f)}) into a fresh scalar tensor (a direct buffer and two more JNI calls) and
 * frees it after the op; an optimizer step over a model's parameters did that hundreds of times.
 * The values are the same, so the results are bit for bit those of Number operands. Make inside an
 * {@code NDScope}: the scalars are closed with it.
 */
final class ScalarTensors {
  private record Key(float value, Device device) {}

  private final NDManager manager;
  private final Map<Key, NDArray> made = new HashMap<>();

  ScalarTensors(NDManager manager) {
    this.manager = manager;
  }

  /** {@code value} as an fp32 scalar on {@code like}'s device. */
  NDArray of(double value, NDArray like) {
    return made.computeIfAbsent(
        new Key((float) value, like.getDevice()),
        key -> manager.create(key.value()).toDevice(key.device(), false));
  }
}
