package dev.archipelago.trainer.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that run one task of a run by hand. */
final class RunCommandOptions {
  @Mixin RunConfigOption runConfig;

  @Option(
      names = "--attempt",
      defaultValue = "1",
      description =
          "Attempt number stamped into progress and checkpoints (default: ${DEFAULT-VALUE}).")
  int attempt;
}
