package dev.archipelago.trainer.data.shapes;

import dev.archipelago.trainer.random.Seeds;
import java.util.SplittableRandom;

/**
 * Draws the spec of sample {@code index} from its own random stream, so a sample does not depend on
 * the shard size or on how many samples came before it.
 */
public final class ShapeSpecSampler {
  private final long seed;

  public ShapeSpecSampler(long seed) {
    this.seed = seed;
  }

  public ShapeSpec sample(long index) {
    SplittableRandom r = Seeds.random(seed, index);
    ShapeKind kind = pick(ShapeKind.values(), r);
    ShapeColor color = pick(ShapeColor.values(), r);
    ShapeSize size = pick(ShapeSize.values(), r);
    Background background = pick(Background.values(), r);
    // Keep the whole shape inside the frame: the centre may move by what the extent leaves free.
    double slack = (1 - size.fractionOfImage()) / 2;
    double cx = 0.5 + (r.nextDouble() * 2 - 1) * slack;
    double cy = 0.5 + (r.nextDouble() * 2 - 1) * slack;
    double rotation = r.nextDouble() * 360;
    return new ShapeSpec(kind, color, size, background, cx, cy, rotation);
  }

  private static <T> T pick(T[] values, SplittableRandom r) {
    return values[r.nextInt(values.length)];
  }
}
