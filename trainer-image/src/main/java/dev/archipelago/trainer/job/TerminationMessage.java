package dev.archipelago.trainer.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why the task failed, in one line, where the kubelet looks for it: the container's
 * terminationMessagePath, which the kubelet copies into the pod's status ({@code
 * state.terminated.message}) and the operator into the expert's status. Outside a pod the file does
 * not exist and nothing is written.
 */
public final class TerminationMessage {
  /** Kubernetes' default terminationMessagePath, mounted writable even on a read-only root. */
  static final Path KUBERNETES_PATH = Path.of("/dev/termination-log");

  /** The kubelet keeps at most 4096 bytes; one line says enough. */
  static final int MAX_CHARS = 1024;

  private TerminationMessage() {}

  public static void record(String message) {
    record(KUBERNETES_PATH, message);
  }

  static void record(Path path, String message) {
    if (message == null || !Files.isWritable(path)) {
      return;
    }
    String line = message.replaceAll("\\s+", " ").strip();
    if (line.length() > MAX_CHARS) {
      line = line.substring(0, MAX_CHARS - 1) + "…";
    }
    try {
      Files.writeString(path, line, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The log already has the message; status just goes without it.
    }
  }
}
