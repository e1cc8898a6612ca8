package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import picocli.CommandLine.Command;

/** {@code archipelago partition}: the partition task of a run, started by hand. */
@Command(
    name = "partition",
    mixinStandardHelpOptions = true,
    description =
        "Cluster the data set into one part per expert (two-stage k-means, or random) and write the partition to the run's storage.")
final class PartitionCommand extends ManualTaskCommand {
  @Override
  Task task(int attempt) {
    return Task.of(Role.PARTITION, attempt);
  }
}
