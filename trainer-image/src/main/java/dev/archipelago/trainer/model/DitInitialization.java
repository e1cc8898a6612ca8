package dev.archipelago.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * DiT's initialisation: Xavier-uniform weights and zero biases, N(0, 0.02) for the timestep MLP and
 * class table, and zeros for every adaLN modulation layer (adaLN-Zero) and for the expert's output
 * layer. The patch projection is Xavier-uniform over its kernel seen as a [D, C·p²] matrix, as DiT
 * does (DJL's Xavier counts a kernel's fan-out as D·p², which shrinks it by up to a factor p).
 * Applied in that order, so the specific rules override the general one.
 */
final class DitInitialization {
  private DitInitialization() {}

  // magnitude 3 with the AVG factor gives U(±√(6 / (fanIn + fanOut))): Glorot's uniform rule.
  private static final Initializer XAVIER_UNIFORM =
      new XavierInitializer(
          XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
  private static final Initializer SMALL_NORMAL = new NormalInitializer(0.02f);

  static void applyToBackbone(Block root, DitBackbone backbone) {
    root.setInitializer(XAVIER_UNIFORM, Parameter.Type.WEIGHT);
    root.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    backbone.patches().projection().setInitializer(new PatchKernelXavier(), Parameter.Type.WEIGHT);
    backbone.time().setInitializer(SMALL_NORMAL, Parameter.Type.WEIGHT);
    if (backbone.classes() != null) {
      backbone.classes().setInitializer(SMALL_NORMAL, Parameter.Type.WEIGHT);
    }
    for (DitBlock block : backbone.blocks()) {
      zero(block.modulation());
    }
  }

  static void zero(Block block) {
    block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
  }

  /** U(±√(6 / (C·p² + D))) for a kernel of shape [D, C, p, p]: fan-in C·p², fan-out D. */
  static final class PatchKernelXavier implements Initializer {
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
      long fanOut = shape.get(0);
      long fanIn = shape.size() / fanOut;
      float bound = (float) Math.sqrt(6.0 / (fanIn + fanOut));
      return manager.randomUniform(-bound, bound, shape, dataType);
    }
  }
}
