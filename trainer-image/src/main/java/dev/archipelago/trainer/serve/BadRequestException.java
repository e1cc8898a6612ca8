package dev.archipelago.trainer.serve;

/** A request the server refuses with 400; {@code field} names the offending request field. */
public final class BadRequestException extends RuntimeException {
  private final String field;

  public BadRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
