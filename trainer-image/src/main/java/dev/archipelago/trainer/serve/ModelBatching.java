package dev.archipelago.trainer.serve;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a process's models behind one {@link ModelScheduler}: a lane per expert and one for the
 * router, each with the padding that keeps results independent of load. Experts share one
 * architecture, so one calibration serves them all.
 */
final class ModelBatching {
  private final ModelScheduler scheduler;
  private final BatchPolicy policy;

  ModelBatching(ModelScheduler scheduler, BatchPolicy policy) {
    this.scheduler = scheduler;
    this.policy = policy;
  }

  ModelScheduler scheduler() {
    return scheduler;
  }

  /**
   * @param first the index of the first expert given (the expert role serves one)
   */
  List<VelocityModel> experts(List<DjlExpert> experts, int first, ImageShape shape, int classes) {
    List<VelocityModel> batched = new ArrayList<>();
    if (experts.isEmpty()) {
      return batched;
    }
    BatchPolicy calibrated = calibrated("expert " + first, experts.get(0), shape, classes);
    for (int e = 0; e < experts.size(); e++) {
      String name = "expert-" + (first + e);
      batched.add(
          new BatchedExpert(scheduler.lane(name, experts.get(e), calibrated), shape, classes));
    }
    return batched;
  }

  /** The router batched; the monolith's {@link SoleExpert} has no model to batch. */
  ExpertRouter router(ExpertRouter router, ImageShape shape, int classes) {
    if (!(router instanceof DjlRouter model)) {
      return router;
    }
    BatchPolicy calibrated = calibrated("router", model, shape, classes);
    return new BatchedRouter(scheduler.lane("router", model, calibrated), router.experts());
  }

  private BatchPolicy calibrated(String name, RowForward model, ImageShape shape, int classes) {
    if (policy.padRows() != BatchPolicy.CALIBRATE) {
      return policy;
    }
    return policy.withPadRows(
        PaddingCalibration.rows(name, model, shape, classes, policy.maxRows()));
  }
}
