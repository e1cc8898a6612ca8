package dev.archipelago.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code archipelago generate-dataset <kind>}: groups the synthetic data set generators. */
@Command(
    name = "generate-dataset",
    mixinStandardHelpOptions = true,
    description = "Write a synthetic data set as WebDataset tar shards.",
    subcommands = {GenerateShapesCommand.class})
final class GenerateDatasetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing data set kind");
  }
}
