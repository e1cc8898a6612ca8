package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.ServedModel;
import dev.archipelago.trainer.job.BadConfigException;
import java.util.Locale;

/** {@code --model ensemble|student}: what serve and evaluate run, instead of the run's choice. */
final class ServedModelOption {
  private ServedModelOption() {}

  /** {@code run} serving {@code option}'s model; null keeps spec.inference.model. */
  static RunConfig apply(RunConfig run, String option) {
    if (option == null) {
      return run;
    }
    ServedModel model;
    try {
      model = ServedModel.valueOf(option.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadConfigException(
          "--model: unknown model '" + option + "'; expected ensemble or student");
    }
    if (model == ServedModel.STUDENT && !run.distillation().distils()) {
      throw new BadConfigException(
          "--model student: run " + run.runName() + " has no student (distillation.enabled false)");
    }
    return run.serving(model);
  }
}
