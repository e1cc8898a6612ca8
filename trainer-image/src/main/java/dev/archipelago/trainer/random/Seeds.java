package dev.archipelago.trainer.random;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from one run seed and a few coordinates (epoch, shard, step,
 * …).
 *
 * <p>Why: every random draw in the trainer is a pure function of (seed, where we are), so resuming
 * from a checkpoint needs no saved generator state and two runs with one seed agree bit for bit.
 */
public final class Seeds {
  private Seeds() {}

  /** A 64-bit seed mixed from {@code seed} and the coordinates, order-sensitive. */
  public static long derive(long seed, long... coordinates) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (long c : coordinates) {
      h = mix(h ^ mix(c + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** A generator for the stream named by {@code seed} and the coordinates. */
  public static SplittableRandom random(long seed, long... coordinates) {
    return new SplittableRandom(derive(seed, coordinates));
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    return order;
  }

  // SplitMix64 finaliser: a well-tested 64-bit bijective mixer.
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
