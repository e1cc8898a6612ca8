package dev.archipelago.trainer.train;

/** The velocity a distilled student learns to match, asked at the student's noised batches. */
@FunctionalInterface
public interface Teacher {
  /**
   * @param x x_t of the batch, flat [B, C, H, W]
   * @param t one time per image
   * @param labels one class per image (the null class where dropped), or null when unconditional
   * @param step the student's step, from which a teacher's random choices are drawn
   * @return the teacher's velocity, laid out as {@code x}
   */
  float[] velocity(float[] x, float[] t, long[] labels, long step);
}
