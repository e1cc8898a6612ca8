package dev.archipelago.trainer.cli;

import dev.archipelago.trainer.local.LocalCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The trainer's single entry point: {@code archipelago <command>}. */
@Command(
    name = "archipelago",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Decentralized diffusion: data generation, partitioning and expert/router training.",
    subcommands = {
      TaskCommand.class,
      EngineCommand.class,
      GenerateDatasetCommand.class,
      EncodeCommand.class,
      PartitionCommand.class,
      TrainExpertCommand.class,
      TrainRouterCommand.class,
      DistillCommand.class,
      ServeCommand.class,
      GroundTruthCommand.class,
      TrainClassifierCommand.class,
      EvaluateCommand.class,
      LocalCommand.class
    })
public final class Archipelago implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, reading the process's environment. */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line with commands that read {@code env} instead (for tests). */
  public static CommandLine commandLine(Map<String, String> env) {
    // Images are drawn and decoded with Java2D; pods have no display.
    System.setProperty("java.awt.headless", "true");
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            K command = CommandLine.defaultFactory().create(type);
            if (command instanceof EnvironmentCommand needsEnv) {
              needsEnv.useEnvironment(env);
            }
            return command;
          }
        };
    return new CommandLine(new Archipelago(), factory);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }
}
