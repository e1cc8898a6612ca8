package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import picocli.CommandLine.Command;

/** {@code archipelago train-router}: the router task of a run, started by hand. */
@Command(
    name = "train-router",
    mixinStandardHelpOptions = true,
    description =
        "Train the router on all samples labelled with their cluster; report held-out accuracy by noise level.")
final class TrainRouterCommand extends ManualTaskCommand {
  @Override
  Task task(int attempt) {
    return Task.of(Role.ROUTER, attempt);
  }
}
