package dev.archipelago.trainer.cli;

import picocli.CommandLine.Option;

/** {@code --config}: where a command reads the run config from (see {@link RunConfigFile}). */
final class RunConfigOption {
  @Option(
      names = "--config",
      description =
          "Run config JSON (default: $ARCHIPELAGO_RUN_CONFIG, else /etc/archipelago/run-config.json).")
  String config;
}
