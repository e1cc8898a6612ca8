package dev.archipelago.api.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.archipelago.api.DDMRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** DDMRuns for unit tests, read from the example manifest that users copy. */
public final class SampleRuns {
  public static final String UID = "6f1c1a4e-9f63-4c1b-9d0e-2b7d3f1e8a10";

  /** Strict, so that a misspelt field in an example fails a test instead of being dropped. */
  private static final ObjectMapper STRICT_YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private SampleRuns() {}

  /** Every document of a multi-document example, in order. */
  public static List<JsonNode> documents(String example) {
    Path file = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve(example);
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      return STRICT_YAML.readValues(parser, JsonNode.class).readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The DDMRun of the repository's examples/quickstart.yaml, as if read back from namespace demo.
   */
  public static DDMRun quickstart() {
    JsonNode doc =
        documents("../examples/quickstart.yaml").stream()
            .filter(d -> "DDMRun".equals(d.path("kind").asText()))
            .findFirst()
            .orElseThrow();
    DDMRun run = STRICT_YAML.convertValue(doc, DDMRun.class);
    run.getMetadata().setNamespace("demo");
    run.getMetadata().setUid(UID);
    return run;
  }
}
