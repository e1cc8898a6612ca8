package dev.archipelago.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/**
 * One working copy of the model that forward and backward passes run on: on one device, in the
 * compute precision. The master model itself serves as its own replica when it already has that
 * device and precision (fp32 on the first device), so single-device fp32 training copies nothing.
 */
public final class ModelReplica implements AutoCloseable {
  /** Builds a fresh, initialised block of the master's architecture. */
  @FunctionalInterface
  public interface Factory {
    Block create(NDManager manager, DataType dataType);
  }

  private final Block block;
  private final PairList<String, Parameter> parameters;
  private final NDManager manager;
  private final boolean isMaster;

  private ModelReplica(Block block, NDManager manager, boolean isMaster) {
    this.block = block;
    this.parameters = block.getParameters();
    this.manager = manager;
    this.isMaster = isMaster;
  }

  static ModelReplica master(Block block, NDManager manager) {
    return new ModelReplica(block, manager, true);
  }

  static ModelReplica copy(Factory factory, NDManager parent, Device device, DataType dataType) {
    NDManager manager = parent.newSubManager(device);
    return new ModelReplica(factory.create(manager, dataType), manager, false);
  }

  public Block block() {
    return block;
  }

  public PairList<String, Parameter> parameters() {
    return parameters;
  }

  public Device device() {
    return manager.getDevice();
  }

  /** Whether this replica is the master model (its weights are the optimizer's). */
  public boolean isMaster() {
    return isMaster;
  }

  /** This replica's manager: a shard's inputs are moved onto its device under it. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    if (!isMaster) {
      manager.close();
    }
  }
}
