package dev.archipelago.trainer.cli;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that reads environment variables. {@link Archipelago#commandLine(Map)} hands it the map
 * to read, so tests give their own instead of the process's.
 */
public abstract class EnvironmentCommand implements Callable<Integer> {
  private Map<String, String> env = System.getenv();

  final void useEnvironment(Map<String, String> env) {
    this.env = env;
  }

  /** The environment variables this command reads. */
  protected final Map<String, String> env() {
    return env;
  }
}
