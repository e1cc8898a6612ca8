package dev.archipelago.trainer.local;

import java.io.IOException;
import java.nio.file.Path;

/** A child process that did not do its job; its log says why. */
final class ChildProcessException extends IOException {
  private final transient Path log;

  ChildProcessException(String message, Path log) {
    super(message + "; see " + log);
    this.log = log;
  }

  Path log() {
    return log;
  }
}
