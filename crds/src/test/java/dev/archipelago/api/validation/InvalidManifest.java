package dev.archipelago.api.validation;

import java.util.function.UnaryOperator;

/**
 * One row of a validation table: a valid manifest changed in one place, and what the API server's
 * rejection must say.
 *
 * @param sentence what the case shows, used as the test's display name
 * @param base manifest under src/test/resources/manifests/ that the edit starts from
 * @param edit the one change that makes it invalid
 * @param field the field path the message must name
 * @param reason a fragment of the message that shows it was rejected for the intended reason
 */
record InvalidManifest(
    String sentence, String base, UnaryOperator<Manifest> edit, String field, String reason) {

  Manifest manifest() {
    return edit.apply(Manifest.load(base));
  }

  @Override
  public String toString() {
    return sentence;
  }
}
