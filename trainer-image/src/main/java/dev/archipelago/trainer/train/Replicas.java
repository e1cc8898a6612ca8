package dev.archipelago.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's replicas for data parallelism over the devices of one node (never across nodes): each
 * device runs a shard of the batch on its own copy; their gradients are summed in fp32 on the
 * master's device, where the one optimizer updates the fp32 master weights, which are then copied
 * (cast to the compute precision) to every replica before the next step.
 */
public final class Replicas implements AutoCloseable {
  private static final NDIndex ALL = new NDIndex("...");

  private final PairList<String, Parameter> master;
  private final List<ModelReplica> replicas;

  private Replicas(PairList<String, Parameter> master, List<ModelReplica> replicas) {
    this.master = master;
    this.replicas = replicas;
  }

  /**
   * @param masterModel the fp32 model the optimizer updates, initialised in {@code manager}
   * @param factory builds further copies of its architecture
   * @param devices one replica per entry; the first must be the master's device
   */
  public static Replicas create(
      Block masterModel,
      NDManager manager,
      ModelReplica.Factory factory,
      List<Device> devices,
      ComputePrecision precision) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("at least one device expected");
    }
    if (!devices.get(0).equals(manager.getDevice())) {
      throw new IllegalArgumentException(
          "the master model is on " + manager.getDevice() + " but the first device is " + devices);
    }
    DataType compute = precision.dataType();
    List<ModelReplica> replicas = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      boolean masterWorks = i == 0 && compute == DataType.FLOAT32;
      replicas.add(
          masterWorks
              ? ModelReplica.master(masterModel, manager)
              : ModelReplica.copy(factory, manager, devices.get(i), compute));
    }
    return new Replicas(masterModel.getParameters(), replicas);
  }

  public List<ModelReplica> list() {
    return replicas;
  }

  public int size() {
    return replicas.size();
  }

  /** Copies the master weights into every other replica (cast to its precision). */
  public void syncFromMaster() {
    for (ModelReplica replica : replicas) {
      if (replica.isMaster()) {
        continue;
      }
      for (Pair<String, Parameter> named : replica.parameters()) {
        copyInto(named.getValue().getArray(), master.get(named.getKey()).getArray());
      }
    }
  }

  /** Overwrites {@code target} with {@code source}, converted to the target's type and device. */
  private static void copyInto(NDArray target, NDArray source) {
    if (source.getDevice().equals(target.getDevice())) {
      target.set(ALL, source); // one in-place copy that also converts the type
      return;
    }
    // Convert before the transfer: fp16 moves half the bytes.
    try (NDArray converted = source.toType(target.getDataType(), true);
        NDArray moved = converted.toDevice(target.getDevice(), true)) {
      target.set(ALL, moved);
    }
  }

  /**
   * The gradient of every trainable master parameter: the replicas' gradients summed in fp32 on the
   * master's device and multiplied by {@code unscale}. The sum is accumulated in place in the first
   * replica's gradient when that is already fp32 on the master's device (the master's own, in fp32
   * training), which {@link #zeroGradients} clears after the step anyway; so one fp32 device copies
   * nothing. Call inside an {@code NDScope}: the sums are temporaries of the step.
   */
  public Map<String, NDArray> reducedGradients(float unscale) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> named : master) {
      if (!named.getValue().requiresGradient()) {
        continue;
      }
      Device masterDevice = named.getValue().getArray().getDevice();
      NDArray sum = null;
      for (ModelReplica replica : replicas) {
        NDArray gradient = replica.parameters().get(named.getKey()).getArray().getGradient();
        NDArray local = gradient.toType(DataType.FLOAT32, false).toDevice(masterDevice, false);
        sum = sum == null ? local : sum.addi(local);
      }
      if (unscale != 1f) {
        sum.muli(unscale);
      }
      out.put(named.getKey(), sum);
    }
    return out;
  }

  /**
   * Zeroes every replica's gradients, ready for the next backward pass. A fill, not g − g: after an
   * fp16 overflow that would leave inf − inf = NaN behind.
   */
  public void zeroGradients() {
    for (ModelReplica replica : replicas) {
      for (Pair<String, Parameter> named : replica.parameters()) {
        if (named.getValue().requiresGradient()) {
          named.getValue().getArray().getGradient().set(ALL, 0f);
        }
      }
    }
  }

  @Override
  public void close() {
    replicas.forEach(ModelReplica::close);
  }
}
