package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.job.BadConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the run config from a file: the option's, else {@code $ARCHIPELAGO_RUN_CONFIG}, else the
 * pod's mount.
 */
final class RunConfigFile {
  private RunConfigFile() {}

  static RunConfig read(String option, Map<String, String> env) {
    String path = option;
    if (path == null) {
      path = env.getOrDefault(PodEnv.RUN_CONFIG_FILE, PodEnv.RUN_CONFIG_PATH);
    }
    try {
      return RunConfig.fromJson(Files.readString(Path.of(path), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BadConfigException("cannot read the run config " + path + ": " + e, e);
    } catch (RuntimeException e) {
      throw new BadConfigException("invalid run config " + path + ": " + e.getMessage(), e);
    }
  }
}
