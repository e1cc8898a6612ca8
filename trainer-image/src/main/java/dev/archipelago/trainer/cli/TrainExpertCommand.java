package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code archipelago train-expert --expert k}: one expert's task of a run, started by hand. */
@Command(
    name = "train-expert",
    mixinStandardHelpOptions = true,
    description =
        "Train expert k on its cluster only, checkpointing to the run's storage and resuming from"
            + " its latest checkpoint.")
final class TrainExpertCommand extends ManualTaskCommand {
  @Option(names = "--expert", required = true, description = "Index of the expert, from 0.")
  int expert;

  @Override
  Task task(int attempt) {
    return Task.expert(expert, attempt);
  }
}
