package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import picocli.CommandLine.Command;

/** {@code archipelago distill}: the distillation task of a run, started by hand. */
@Command(
    name = "distill",
    mixinStandardHelpOptions = true,
    description =
        "Distil the trained experts and router into one student (spec.distillation), after they"
            + " have all finished training.")
final class DistillCommand extends ManualTaskCommand {
  @Override
  Task task(int attempt) {
    return Task.of(Role.DISTILL, attempt);
  }
}
