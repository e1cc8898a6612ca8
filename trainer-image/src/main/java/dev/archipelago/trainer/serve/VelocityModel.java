package dev.archipelago.trainer.serve;

/** Something that predicts the rectified-flow velocity: one expert, or the routed ensemble. */
@FunctionalInterface
public interface VelocityModel {
  /** The velocity of every image of the query, flat in the query's layout. */
  float[] velocity(VelocityQuery query);
}
