package dev.archipelago.trainer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {
  @TempDir Path dir;

  @Test
  void writesOneBoundedLineWhereTheKubeletReadsIt() throws Exception {
    Path log = Files.createFile(dir.resolve("termination-log"));

    TerminationMessage.record(log, "bad config:\n  no GPU\tvisible " + "x".repeat(5000));

    String written = Files.readString(log);
    assertThat(written).startsWith("bad config: no GPU visible xxx").doesNotContain("\n");
    assertThat(written).hasSize(TerminationMessage.MAX_CHARS);
  }

  @Test
  void outsideAPodThereIsNoFileAndNothingIsCreated() {
    Path absent = dir.resolve("termination-log");

    TerminationMessage.record(absent, "task failed");

    assertThat(absent).doesNotExist();
  }
}
