package dev.archipelago.trainer.local;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.contract.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One task of the run as {@code local run} schedules it: the contract's {@link Task}, a name for
 * logs and files ({@code partition}, {@code expert-3}, {@code router}, {@code student}) and its
 * step count.
 */
public record LocalTask(Task task, String name, long totalSteps) {

  public static LocalTask encode(int attempt) {
    return new LocalTask(Task.of(Role.ENCODE, attempt), "encode", 0);
  }

  public static LocalTask partition(int attempt) {
    return new LocalTask(Task.of(Role.PARTITION, attempt), "partition", 0);
  }

  /** The experts in index order, then the router (there is none with a single expert). */
  public static List<LocalTask> trainers(RunConfig config, int attempt) {
    List<LocalTask> tasks = new ArrayList<>();
    for (int k = 0; k < config.experts(); k++) {
      tasks.add(
          new LocalTask(Task.expert(k, attempt), "expert-" + k, config.training().getSteps()));
    }
    if (config.experts() > 1) {
      tasks.add(new LocalTask(Task.of(Role.ROUTER, attempt), "router", config.router().getSteps()));
    }
    return tasks;
  }

  /** The distilled student, trained once the experts and the router are; none unless it distils. */
  public static Optional<LocalTask> student(RunConfig config, int attempt) {
    return config.distillation().distils()
        ? Optional.of(
            new LocalTask(
                Task.of(Role.DISTILL, attempt), "student", config.distillation().getSteps()))
        : Optional.empty();
  }

  public boolean isTrainer() {
    return task.role() == Role.EXPERT || task.role() == Role.ROUTER || task.role() == Role.DISTILL;
  }

  public boolean isExpert() {
    return task.role() == Role.EXPERT;
  }

  /** The key of its progress.json; only trainers have one. */
  public String progressKey(RunConfig config) {
    return config.layout().progress(task);
  }
}
