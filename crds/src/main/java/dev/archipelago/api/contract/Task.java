package dev.archipelago.api.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one pod is asked to do: its role, the expert it trains (for experts) and the attempt. The
 * operator writes it with {@link #toEnv()}, the trainer reads it with {@link #fromEnv(Map)}.
 */
public record Task(Role role, Integer expert, int attempt) {

  public Task {
    Objects.requireNonNull(role, "role");
    if (role == Role.EXPERT && (expert == null || expert < 0)) {
      throw new IllegalArgumentException("an expert task needs an expert index >= 0");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
    }
  }

  public static Task expert(int expert, int attempt) {
    return new Task(Role.EXPERT, expert, attempt);
  }

  public static Task of(Role role, int attempt) {
    return new Task(role, null, attempt);
  }

  /** A retry must resume from the latest checkpoint instead of starting afresh. */
  public boolean isRetry() {
    return attempt > 1;
  }

  public Map<String, String> toEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PodEnv.ROLE, role.label());
    if (expert != null) {
      env.put(PodEnv.EXPERT, Integer.toString(expert));
    }
    env.put(PodEnv.ATTEMPT, Integer.toString(attempt));
    return env;
  }

  /** Reads a task from a pod's environment; a missing or malformed variable is a bad config. */
  public static Task fromEnv(Map<String, String> env) {
    String role = require(env, PodEnv.ROLE);
    String expert = env.get(PodEnv.EXPERT);
    try {
      return new Task(
          Role.fromLabel(role),
          expert == null || expert.isBlank() ? null : Integer.valueOf(expert),
          Integer.parseInt(require(env, PodEnv.ATTEMPT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid task environment: " + e.getMessage(), e);
    }
  }

  private static String require(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }
}
