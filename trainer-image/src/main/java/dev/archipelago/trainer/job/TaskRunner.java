package dev.archipelago.trainer.job;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the task a pod was given and turns the outcome into a contract exit code: OK, PREEMPTED
 * after a stop request, BAD_CONFIG when retrying cannot help, FAILURE otherwise.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private TaskRunner() {}

  public static int run(JobContext context) {
    Task task = context.task();
    try {
      ConfigCheck.validate(context.config(), task);
      LOG.info(
          "run {}/{} ({}), task {}",
          context.config().namespace(),
          context.config().runName(),
          context.config().hash(),
          task);
      return switch (task.role()) {
        case ENCODE -> EncodeTask.run(context);
        case PARTITION -> PartitionTask.run(context);
        case EXPERT -> ExpertTask.run(context, task.expert());
        case ROUTER -> RouterTask.run(context);
        case DISTILL -> DistillTask.run(context);
        case SERVE ->
            throw new BadConfigException(
                "role serve is a long-running server, not a task: run `archipelago serve`");
      };
    } catch (BadConfigException e) {
      LOG.error("bad config: {}", e.getMessage());
      TerminationMessage.record("bad config: " + e.getMessage());
      return ExitCodes.BAD_CONFIG;
    } catch (ConfigHashMismatchException e) {
      LOG.error("{}", e.getMessage());
      TerminationMessage.record(e.getMessage());
      return ExitCodes.BAD_CONFIG;
    } catch (Exception e) {
      LOG.error("task {} failed", task, e);
      TerminationMessage.record("task " + task + " failed: " + e);
      return ExitCodes.FAILURE;
    }
  }
}
