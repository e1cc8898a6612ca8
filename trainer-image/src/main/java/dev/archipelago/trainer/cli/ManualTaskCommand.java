package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.job.BadConfigException;
import picocli.CommandLine.Mixin;

/**
 * A task of a run started by hand (partition, train-expert, train-router): the run config from
 * {@code --config}, the role from the subcommand. Pods use {@code task} instead, which takes
 * everything from the environment.
 */
abstract class ManualTaskCommand extends EnvironmentCommand {
  @Mixin RunCommandOptions options;

  /** The task this command runs, for the given attempt. */
  abstract Task task(int attempt);

  @Override
  public Integer call() {
    RunConfig config;
    try {
      config = RunConfigFile.read(options.runConfig.config, env());
    } catch (BadConfigException e) {
      System.err.println(e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    return TaskExecution.run(config, task(options.attempt), env(), TaskExecution.stopSignal(env()));
  }
}
