package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.random.Seeds;
import dev.archipelago.trainer.train.Teacher;
import java.util.List;

/**
 * The served ensemble as a distillation teacher: the same {@link EnsembleVelocity} that answers
 * generate requests, so the student learns exactly what serving would sample with. Guidance is left
 * out (scale 1): a class-conditional student learns the conditional and the null-class velocity,
 * and is guided when it is served. {@code sample}'s draws come from (seed, step), so a resumed
 * distillation sees the teacher it would have seen.
 */
public final class EnsembleTeacher implements Teacher {
  private final ExpertRouter router;
  private final List<? extends VelocityModel> experts;
  private final Routing routing;
  private final ImageShape shape;
  private final long seed;

  public EnsembleTeacher(
      ExpertRouter router,
      List<? extends VelocityModel> experts,
      Routing routing,
      ImageShape shape,
      long seed) {
    this.router = router;
    this.experts = List.copyOf(experts);
    this.routing = routing;
    this.shape = shape;
    this.seed = seed;
  }

  @Override
  public float[] velocity(float[] x, float[] t, long[] labels, long step) {
    EnsembleVelocity ensemble =
        new EnsembleVelocity(
            router, experts, routing, Seeds.derive(seed, step), null, (expert, images) -> {});
    return ensemble.velocity(new VelocityQuery(shape, t.length, x, t, labels, 1f));
  }
}
