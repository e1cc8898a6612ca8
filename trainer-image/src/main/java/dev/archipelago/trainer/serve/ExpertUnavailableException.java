package dev.archipelago.trainer.serve;

import java.net.URI;

/** A distributed expert did not answer (or answered an error); the message names it. */
public final class ExpertUnavailableException extends RuntimeException {
  private final int expert;

  public ExpertUnavailableException(int expert, URI base, String reason) {
    super("expert " + expert + " at " + base + " is unavailable: " + reason);
    this.expert = expert;
  }

  public int expert() {
    return expert;
  }
}
