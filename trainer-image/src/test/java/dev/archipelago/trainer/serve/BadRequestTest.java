package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.spec.InferenceSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed {@code /v1/generate} gets a 400 whose JSON names the field at fault, over real
 * HTTP, and the server keeps serving afterwards. Models are closed-form fakes (two experts, an
 * unconditional and a 3-class server) so the table runs in milliseconds.
 */
class BadRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_COUNT = 16;
  private static final long MAX_WORK = 4000;
  private static InferenceServer unconditional;
  private static InferenceServer conditional;

  @BeforeAll
  static void start() throws Exception {
    unconditional = server(0);
    conditional = server(3);
  }

  @AfterAll
  static void stop() {
    unconditional.close();
    conditional.close();
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"count\": 0}                           | count",
        "{\"count\": 16, \"steps\": 200, \"strategy\": \"full\"} | count",
        "{\"timeoutSeconds\": 0}                  | timeoutSeconds",
        "{\"timeoutSeconds\": 601}                | timeoutSeconds",
        "{\"timeoutSeconds\": \"soon\"}           | timeoutSeconds",
        "{\"count\": 17}                          | count",
        "{\"count\": \"four\"}                    | count",
        "{\"count\": 2.5}                         | count",
        "{\"steps\": 0}                           | steps",
        "{\"steps\": 100000}                      | steps",
        "{\"seed\": \"x\"}                        | seed",
        "{\"strategy\": \"best\"}                 | strategy",
        "{\"strategy\": \"topk\"}                 | topK",
        "{\"strategy\": \"topk\", \"topK\": 3}    | topK",
        "{\"strategy\": \"top1\", \"topK\": 1}    | topK",
        "{\"sampler\": \"rk4\"}                   | sampler",
        "{\"expert\": 2}                          | expert",
        "{\"expert\": -1}                         | expert",
        "{\"expert\": 0, \"strategy\": \"full\"}  | expert",
        "{\"guidance\": 3}                        | guidance",
        "{\"class\": 1}                           | class",
        "{\"format\": \"gif\"}                    | format",
        "{\"trace\": true}                        | trace",
        "{\"trace\": \"yes\", \"format\": \"json\"} | trace",
        "{\"colour\": \"red\"}                    | colour",
        "not json                                 | body",
        "[1, 2]                                   | body",
      })
  void malformedRequestsAreRefusedNamingTheField(String body, String field) throws Exception {
    assertRefused(unconditional, body, field);
  }

  @ParameterizedTest(name = "{0} -> 400 naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"class\": 3}                    | class",
        "{\"class\": -1}                   | class",
        "{\"guidance\": 4}                 | guidance",
        "{\"class\": 1, \"guidance\": -1}  | guidance",
        "{\"class\": 1, \"guidance\": 99}  | guidance",
        "{\"class\": 1, \"guidance\": 2, \"guidanceMode\": \"joint\"} | guidanceMode",
      })
  void classConditionalRequestsAreCheckedAgainstTheModel(String body, String field)
      throws Exception {
    assertRefused(conditional, body, field);
  }

  @Test
  void theServerStillAnswersAfterBadRequestsAndCountsThem() throws Exception {
    assertRefused(unconditional, "{\"count\": 1000}", "count");
    HttpResponse<byte[]> ok =
        HttpClients.post(unconditional.port(), "/v1/generate", "{\"count\": 3, \"steps\": 2}");
    assertThat(ok.statusCode()).isEqualTo(200);
    BufferedImage grid = ImageIO.read(new ByteArrayInputStream(ok.body()));
    assertThat(grid.getWidth()).isEqualTo(2 * 2 + PngImages.GAP);

    HttpResponse<byte[]> guided =
        HttpClients.post(
            conditional.port(), "/v1/generate", "{\"count\": 2, \"class\": 2, \"guidance\": 3}");
    assertThat(guided.statusCode()).isEqualTo(200);
    HttpResponse<byte[]> perExpert =
        HttpClients.post(
            conditional.port(),
            "/v1/generate",
            "{\"count\": 2, \"class\": 2, \"guidance\": 3, \"guidanceMode\": \"perExpert\"}");
    assertThat(perExpert.statusCode()).isEqualTo(200);

    String metrics = HttpClients.get(unconditional.port(), "/metrics").body();
    assertThat(metrics).contains("archipelago_requests_refused_total{field=\"count\"}");
    assertThat(metrics).contains("archipelago_images_generated_total");
  }

  @Test
  void wrongMethodsAndPathsAreRefusedCleanly() throws Exception {
    assertThat(HttpClients.get(unconditional.port(), "/v1/generate").statusCode()).isEqualTo(405);
    assertThat(HttpClients.get(unconditional.port(), "/v1/generate/x").statusCode()).isEqualTo(404);
    assertThat(HttpClients.post(unconditional.port(), "/v1/velocity", "").statusCode())
        .isEqualTo(404);
  }

  @Test
  void oversizedBodiesAreRefusedNamingTheBodyWhetherDeclaredOrStreamed() throws Exception {
    byte[] huge =
        ("{\"seed\": 1, \"pad\": \"" + "x".repeat(100 * 1024) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI generate = URI.create("http://127.0.0.1:" + unconditional.port() + "/v1/generate");
    HttpRequest declared =
        HttpRequest.newBuilder(generate).POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build();
    // Chunked: no Content-Length, so the limit is found as the bytes arrive.
    HttpRequest streamed =
        HttpRequest.newBuilder(generate)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
            .build();
    for (HttpRequest request : List.of(declared, streamed)) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("field").asText()).isEqualTo("body");
    }
    assertThat(
            HttpClients.post(unconditional.port(), "/v1/generate", "{\"steps\": 2}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void beforeTheModelsLoadTheServerIsAliveButNotReady() throws Exception {
    try (InferenceServer loading =
        new InferenceServer(new InetSocketAddress("127.0.0.1", 0), new ServingMetrics(), 64)) {
      assertThat(HttpClients.get(loading.port(), "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = HttpClients.get(loading.port(), "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("loading");
      assertThat(HttpClients.post(loading.port(), "/v1/generate", "{}").statusCode())
          .isEqualTo(503);
    }
  }

  private static void assertRefused(InferenceServer server, String body, String field)
      throws Exception {
    HttpResponse<byte[]> response = HttpClients.post(server.port(), "/v1/generate", body);
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(text).isEqualTo(400);
    JsonNode json = JSON.readTree(text);
    assertThat(json.path("field").asText()).isEqualTo(field);
    assertThat(json.path("error").asText()).contains(field);
  }

  private static InferenceServer server(int numClasses) throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    InferenceServer server =
        new InferenceServer(new InetSocketAddress("127.0.0.1", 0), metrics, 1024);
    ModelFacts facts = new ModelFacts("fake", FakeModels.SHAPE, List.of(10L, 10L), 5L, numClasses);
    Generator generator =
        new Generator(
            FakeModels.timeRouter(),
            List.of(new FakeModels.LinearExpert(0), new FakeModels.LinearExpert(1)),
            facts,
            metrics);
    server.ready(
        ServingState.ensemble(
            generator,
            new RequestParser(
                facts,
                new InferenceSpec(),
                new RequestLimits(MAX_COUNT, MAX_WORK, Duration.ofMinutes(10))),
            () -> null,
            Optional.empty()));
    return server;
  }
}
