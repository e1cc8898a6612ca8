package dev.archipelago.trainer.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that run one task of a run by hand. */
final class RunCommandOptions {
  @Option(
      names = "--config",
      description =
          "Run config JSON (default: $ARCHIPELAGO_RUN_CONFIG, else /etc/archipelago/run-config.json).")
  String config;

  @Option(
      names = "--attempt",
      defaultValue = "1",
      description =
          "Attempt number stamped into progress and checkpoints (default: ${DEFAULT-VALUE}).")
  int attempt;
}
