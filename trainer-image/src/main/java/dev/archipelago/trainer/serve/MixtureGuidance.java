package dev.archipelago.trainer.serve;

/**
 * Classifier-free guidance of the mixture: v = v(∅) + g·(v(c) − v(∅)), where each side is the whole
 * routed ensemble (the router is asked with the class, then with the null class, and each picks its
 * own experts), instead of every chosen expert guiding itself. Queries without labels or with g = 1
 * go straight to the conditional ensemble.
 */
final class MixtureGuidance implements VelocityModel {
  private final VelocityModel ensemble;
  private final VelocityModel unconditionalEnsemble;
  private final long nullClass;

  /**
   * @param ensemble asked with the class (it records the routing trace, if one is asked for)
   * @param unconditionalEnsemble asked with the null class: another instance, so the trace holds
   *     one entry per step and a sampled routing draws its own choices for each side
   * @param nullClass the label that stands for "no class" (the models' numClasses)
   */
  MixtureGuidance(VelocityModel ensemble, VelocityModel unconditionalEnsemble, long nullClass) {
    this.ensemble = ensemble;
    this.unconditionalEnsemble = unconditionalEnsemble;
    this.nullClass = nullClass;
  }

  @Override
  public float[] velocity(VelocityQuery query) {
    if (query.labels() == null || query.guidance() == 1f) {
      return ensemble.velocity(query);
    }
    long[] none = new long[query.count()];
    java.util.Arrays.fill(none, nullClass);
    float[] conditional = ensemble.velocity(query.withLabels(query.labels(), 1f));
    float[] unconditional = unconditionalEnsemble.velocity(query.withLabels(none, 1f));
    float g = query.guidance();
    for (int p = 0; p < conditional.length; p++) {
      conditional[p] = unconditional[p] + g * (conditional[p] - unconditional[p]);
    }
    return conditional;
  }
}
