package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.job.BadConfigException;
import dev.archipelago.trainer.job.TerminationMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code archipelago task}: what every trainer pod runs; the task comes from the environment. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    description = {
      "Run the task this pod was given: ARCHIPELAGO_ROLE (encode, partition, expert, router, distill),"
          + " ARCHIPELAGO_EXPERT, ARCHIPELAGO_ATTEMPT; the run config from the file named by"
          + " ARCHIPELAGO_RUN_CONFIG; S3 credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
      "Exit codes: 0 done, 1 failed (retry), 2 bad config (do not retry), 75 preempted by SIGTERM"
          + " after writing a checkpoint (resume)."
    })
final class TaskCommand extends EnvironmentCommand {
  private static final Logger LOG = LoggerFactory.getLogger(TaskCommand.class);

  @Override
  public Integer call() {
    RunConfig config;
    Task task;
    try {
      task = Task.fromEnv(env());
      config = RunConfigFile.read(null, env());
    } catch (BadConfigException | IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      TerminationMessage.record(e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    return TaskExecution.run(config, task, env(), TaskExecution.stopSignal(env()));
  }
}
