package dev.archipelago.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import dev.archipelago.trainer.job.TestRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskCommandTest {
  @TempDir Path dir;

  @Test
  void theServeRoleIsABadConfigForNow() throws Exception {
    Map<String, String> env = environment(Task.of(Role.SERVE, 1));
    assertThat(Archipelago.commandLine(env).execute("task")).isEqualTo(ExitCodes.BAD_CONFIG);
  }

  @Test
  void aMissingRoleOrConfigFileIsABadConfig() throws Exception {
    Map<String, String> env = environment(Task.expert(0, 1));
    env.remove(PodEnv.ROLE);
    assertThat(Archipelago.commandLine(env).execute("task")).isEqualTo(ExitCodes.BAD_CONFIG);

    Map<String, String> noFile = environment(Task.expert(0, 1));
    noFile.put(PodEnv.RUN_CONFIG_FILE, dir.resolve("absent.json").toString());
    assertThat(Archipelago.commandLine(noFile).execute("task")).isEqualTo(ExitCodes.BAD_CONFIG);
  }

  @Test
  void anExpertIndexOutsideTheRunIsABadConfig() throws Exception {
    Map<String, String> env = environment(Task.expert(7, 1));
    assertThat(Archipelago.commandLine(env).execute("task")).isEqualTo(ExitCodes.BAD_CONFIG);
  }

  @Test
  void anExpertGivenAGpuTheEngineCannotSeeFailsAtOnceInsteadOfTrainingOnTheCpu() throws Exception {
    assumeThat(Engine.getInstance().getGpuCount()).isZero();
    Map<String, String> env = environment(Task.expert(0, 1));
    env.put(PodEnv.GPUS, "1");
    // Without the check it would reach for its (absent) object store and exit with FAILURE.
    assertThat(Archipelago.commandLine(env).execute("task")).isEqualTo(ExitCodes.BAD_CONFIG);
  }

  private Map<String, String> environment(Task task) throws Exception {
    Path config = dir.resolve("run-config.json");
    Files.writeString(config, TestRun.small().config("http://127.0.0.1:9").toJson());
    Map<String, String> env = new HashMap<>(task.toEnv());
    env.put(PodEnv.RUN_CONFIG_FILE, config.toString());
    env.put(PodEnv.SCRATCH_DIR, dir.resolve("scratch").toString());
    return env;
  }
}
