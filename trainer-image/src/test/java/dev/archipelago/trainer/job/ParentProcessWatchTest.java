package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentProcessWatchTest {

  @Test
  void noticesWhenTheNamedParentExits() throws Exception {
    Process parent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<?> exit =
        ParentProcessWatch.parentExit(Map.of(TrainerEnv.PARENT_PID, Long.toString(parent.pid())))
            .orElseThrow();

    parent.waitFor(30, TimeUnit.SECONDS);
    exit.get(30, TimeUnit.SECONDS);
    assertThat(exit).isDone();
  }

  @Test
  void aParentThatIsAlreadyGoneCountsAsExited() {
    // Pids are below 2^22 on Linux: this one cannot be running.
    assertThat(
            ParentProcessWatch.parentExit(Map.of(TrainerEnv.PARENT_PID, "99999999")).orElseThrow())
        .isDone();
  }

  @Test
  void withoutAParentOrWithGarbageThereIsNothingToWatch() {
    assertThat(ParentProcessWatch.parentExit(Map.of())).isEmpty();
    assertThat(ParentProcessWatch.parentExit(Map.of(TrainerEnv.PARENT_PID, "me"))).isEmpty();
  }
}
