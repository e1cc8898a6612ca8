package dev.archipelago.api.validation;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A manifest as plain JSON, edited by JSON pointer. Plain JSON rather than the typed model, so that
 * a case can hold what Java types cannot: an unknown enum value, a negative count, a missing
 * required field. An edit whose parent does not exist fails, so a typo in a case cannot turn it
 * into a copy of the valid manifest.
 */
final class Manifest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ObjectNode root;

  private Manifest(ObjectNode root) {
    this.root = root;
  }

  /** A fresh copy of a manifest under src/test/resources/manifests/. */
  static Manifest load(String name) {
    try (InputStream in = Manifest.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test manifest " + name);
      }
      return new Manifest((ObjectNode) YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A manifest read back from the API server, to be edited and sent again. */
  static Manifest of(Object resource) {
    return new Manifest(YAML.valueToTree(resource));
  }

  Manifest set(String pointer, Object value) {
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = root.at(path.head());
    JsonNode node = YAML.valueToTree(value);
    if (parent instanceof ObjectNode object) {
      object.set(path.last().getMatchingProperty(), node);
    } else if (parent instanceof ArrayNode array && path.last().mayMatchElement()) {
      array.set(path.last().getMatchingIndex(), node);
    } else {
      throw new IllegalArgumentException(
          "no object or array at " + path.head() + " to set " + pointer);
    }
    return this;
  }

  Manifest remove(String pointer) {
    JsonPointer path = JsonPointer.compile(pointer);
    JsonNode parent = root.at(path.head());
    if (!(parent instanceof ObjectNode object)
        || object.remove(path.last().getMatchingProperty()) == null) {
      throw new IllegalArgumentException("nothing to remove at " + pointer);
    }
    return this;
  }

  Manifest name(String name) {
    return set("/metadata/name", name);
  }

  ObjectNode json() {
    return root;
  }
}
