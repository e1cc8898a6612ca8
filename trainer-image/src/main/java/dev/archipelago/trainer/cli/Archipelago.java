package dev.archipelago.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The trainer's single entry point: {@code archipelago <command>}. */
@Command(
    name = "archipelago",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Decentralized diffusion: data generation, partitioning and expert/router training.",
    subcommands = {GenerateDatasetCommand.class})
public final class Archipelago implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    // Images are drawn and decoded with Java2D; pods have no display.
    System.setProperty("java.awt.headless", "true");
    return new CommandLine(new Archipelago());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
