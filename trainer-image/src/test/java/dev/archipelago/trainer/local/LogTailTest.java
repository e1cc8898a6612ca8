package dev.archipelago.trainer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  @Test
  void keepsTheLastLinesWithoutStackFramesSoTheErrorAndItsCausesShow() throws Exception {
    Path log = dir.resolve("task.log");
    Files.writeString(
        log,
        "12:00 INFO starting\n"
            + "12:01 ERROR task failed\n"
            + "java.io.IOException: no such bucket\n"
            + "\tat a.B.c(B.java:1)\n"
            + "\tat a.B.d(B.java:2)\n"
            + "Caused by: java.net.ConnectException: refused\n"
            + "\tat a.C.e(C.java:3)\n"
            + "\t... 4 more\n");

    assertThat(LogTail.of(log, 3))
        .containsExactly(
            "12:01 ERROR task failed",
            "java.io.IOException: no such bucket",
            "Caused by: java.net.ConnectException: refused");
  }

  @Test
  void aMissingLogSaysSo() {
    assertThat(LogTail.of(dir.resolve("none.log"), 3))
        .singleElement()
        .asString()
        .contains("cannot read");
  }
}
