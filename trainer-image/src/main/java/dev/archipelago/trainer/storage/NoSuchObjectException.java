package dev.archipelago.trainer.storage;

import java.io.FileNotFoundException;

/** The object store has no object under the requested key. */
public final class NoSuchObjectException extends FileNotFoundException {
  public NoSuchObjectException(String where) {
    super("no such object: " + where);
  }
}
