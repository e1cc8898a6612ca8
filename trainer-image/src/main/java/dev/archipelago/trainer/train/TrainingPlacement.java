package dev.archipelago.trainer.train;

import ai.djl.Device;
import java.util.List;

/**
 * Where a trainer runs its passes: one replica per device (all on one node) and the precision of
 * those passes. The first device holds the fp32 master weights, the optimizer and the EMA.
 */
public record TrainingPlacement(List<Device> devices, ComputePrecision precision) {
  public TrainingPlacement {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("at least one device expected");
    }
  }

  /** fp32 on one device: how training ran before placements existed. */
  public static TrainingPlacement single(Device device) {
    return new TrainingPlacement(List.of(device), ComputePrecision.FP32);
  }
}
