package dev.archipelago.trainer.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * DiT's initialisation: Xavier-uniform weights and zero biases, N(0, 0.02) for the timestep MLP and
 * class table, and zeros for every adaLN modulation layer (adaLN-Zero) and for the expert's output
 * layer. Applied in that order, so the specific rules override the general one.
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
}
