package dev.archipelago.trainer.eval;

import dev.archipelago.trainer.data.shapes.Background;
import dev.archipelago.trainer.data.shapes.ShapeColor;
import dev.archipelago.trainer.data.shapes.ShapeKind;
import dev.archipelago.trainer.data.shapes.ShapeSize;
import dev.archipelago.trainer.data.shapes.ShapeSpec;
import java.util.List;

/**
 * The discrete generating factors of a shapes image, as the classifier predicts them: shape kind,
 * colour, size and background, each an index into its enum. Their product is the set of factor
 * cells whose coverage evaluation counts.
 */
public final class ShapeFactors {
  /** The factors in head order. */
  public static final List<String> NAMES = List.of("shape", "color", "size", "background");

  /** Values of each factor, in {@link #NAMES} order. */
  static final int[] CARDINALITIES = {
    ShapeKind.values().length,
    ShapeColor.values().length,
    ShapeSize.values().length,
    Background.values().length
  };

  private ShapeFactors() {}

  public static int count() {
    return CARDINALITIES.length;
  }

  /** Logits of all heads together: the classifier's output width. */
  static int logits() {
    int sum = 0;
    for (int c : CARDINALITIES) {
      sum += c;
    }
    return sum;
  }

  /** Every combination of factor values. */
  public static int cells() {
    int product = 1;
    for (int c : CARDINALITIES) {
      product *= c;
    }
    return product;
  }

  static int[] of(ShapeSpec spec) {
    return new int[] {
      spec.kind().ordinal(),
      spec.color().ordinal(),
      spec.size().ordinal(),
      spec.background().ordinal()
    };
  }

  /** The mixed-radix index of a combination of factor values. */
  static int cell(int[] factors) {
    int index = 0;
    for (int f = 0; f < CARDINALITIES.length; f++) {
      index = index * CARDINALITIES[f] + factors[f];
    }
    return index;
  }
}
