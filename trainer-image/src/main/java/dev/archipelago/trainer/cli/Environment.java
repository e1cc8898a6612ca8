package dev.archipelago.trainer.cli;

import java.util.Map;

/** A command that reads environment variables; tests hand it their own instead of the process's. */
public interface Environment {
  void environment(Map<String, String> env);
}
