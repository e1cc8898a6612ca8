package dev.archipelago.trainer.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.archipelago.api.ArchipelagoApi;
import dev.archipelago.api.DDMRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a (possibly multi-document) YAML manifest, the same file {@code kubectl apply -f} takes.
 * Unknown fields are errors, as with kubectl's strict field validation: a misspelt field silently
 * dropped would train something else than the user wrote.
 */
public final class ManifestReader {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ManifestReader() {}

  public static Manifest read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException("cannot read the manifest " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  /** Parses manifest text; {@code source} names it in messages. */
  public static Manifest parse(String text, String source) {
    List<DDMRun> runs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (documents.hasNextValue()) {
        JsonNode document = documents.nextValue();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        String kind = document.path("kind").asText("");
        String name = document.path("metadata").path("name").asText("?");
        if (ArchipelagoApi.DDM_RUN_KIND.equals(kind)) {
          runs.add(toRun(document, source, index));
        } else {
          notes.add(
              "ignoring "
                  + (kind.isEmpty() ? "a document without kind" : kind + " " + name)
                  + " (document "
                  + index
                  + "): local run needs only the DDMRun");
        }
      }
    } catch (IOException e) {
      throw new ManifestException(source + " is not valid YAML: " + e.getMessage(), e);
    }
    if (runs.size() != 1) {
      throw new ManifestException(
          source
              + " holds "
              + runs.size()
              + " DDMRun documents; local run needs exactly one (kind: "
              + ArchipelagoApi.DDM_RUN_KIND
              + ")");
    }
    return new Manifest(runs.get(0), notes);
  }

  private static DDMRun toRun(JsonNode document, String source, int index) {
    try {
      return YAML.treeToValue(document, DDMRun.class);
    } catch (JsonMappingException e) {
      throw new ManifestException(source + ", document " + index + ": " + describe(e), e);
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          source + ", document " + index + ": " + e.getOriginalMessage(), e);
    }
  }

  /** "spec.training.steps: ..." rather than Jackson's class names and source positions. */
  private static String describe(JsonMappingException e) {
    String field = fieldPath(e.getPath());
    if (e instanceof UnrecognizedPropertyException unknown) {
      return field + ": unknown field " + quote(unknown.getPropertyName());
    }
    if (e instanceof InvalidFormatException format) {
      String accepted = "";
      Class<?> target = format.getTargetType();
      if (target != null && target.isEnum()) {
        accepted = "; expected one of " + enumNames(target);
      }
      return field + ": invalid value " + quote(String.valueOf(format.getValue())) + accepted;
    }
    return field + ": " + e.getOriginalMessage();
  }

  private static String fieldPath(List<JsonMappingException.Reference> path) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      if (reference.getFieldName() != null) {
        field.append(field.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.length() == 0 ? "(document)" : field.toString();
  }

  /** The names an enum takes in YAML (its {@code @JsonProperty} values). */
  private static List<String> enumNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      names.add(YAML.convertValue(constant, String.class));
    }
    return names;
  }

  private static String quote(String value) {
    return "'" + value + "'";
  }
}
