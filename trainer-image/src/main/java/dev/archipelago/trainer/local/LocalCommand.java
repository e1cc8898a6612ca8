package dev.archipelago.trainer.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code archipelago local}: run a DDMRun on this machine instead of a cluster. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Run a DDMRun manifest on this machine, without Kubernetes.",
    subcommands = {LocalRunCommand.class})
public final class LocalCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run");
  }
}
