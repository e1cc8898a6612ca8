package dev.archipelago.trainer.serve;

/**
 * The images of one request, flat CHW in [−1, 1] (not clipped), with the routing trace when asked.
 */
public record Generation(
    GenerateRequest request, ImageShape shape, float[] images, RoutingTrace trace) {

  /** Image {@code i}'s values. */
  public float[] image(int i) {
    float[] out = new float[shape.values()];
    System.arraycopy(images, i * shape.values(), out, 0, out.length);
    return out;
  }
}
