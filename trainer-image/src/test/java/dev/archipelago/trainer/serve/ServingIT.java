package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.train.ComputePrecision;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server on a really trained (briefly) two-expert run in S3Proxy: every strategy answers with
 * decodable PNGs of the requested size and count; batched top-1 with real DiTs matches per-image
 * evaluation; and the distributed topology, with each expert a separate JVM, gives the same images
 * as colocated serving for a seed, and goes not-ready naming an expert that disappears.
 */
class ServingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SIZE = 8;

  private static EmbeddedS3 s3;
  private static S3Buckets buckets;
  private static RunConfig config;
  private static Serving colocated;
  @TempDir static Path scratch;

  @BeforeAll
  static void trainAndServe() throws Exception {
    s3 = new EmbeddedS3();
    s3.createBucket(TestRun.BUCKET);
    buckets = new S3Buckets(s3.settings());
    config = TestRun.small().uid("serving").config(s3);
    TestRun.trainEveryTask(config, buckets, scratch);
    colocated = serve(options(ServeRole.COLOCATED, List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    colocated.close();
    buckets.close();
    s3.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"strategy\": \"top1\"",
        "{\"strategy\": \"topk\", \"topK\": 2",
        "{\"strategy\": \"full\"",
        "{\"strategy\": \"sample\"",
        "{\"expert\": 1",
        "{\"strategy\": \"top1\", \"sampler\": \"heun\""
      })
  void everyStrategyAnswersWithDecodablePngsOfTheRequestedSizeAndCount(String start)
      throws Exception {
    HttpResponse<byte[]> grid =
        HttpClients.post(colocated.port(), "/v1/generate", start + ", \"count\": 5, \"steps\": 4}");
    assertThat(grid.statusCode()).as(new String(grid.body())).isEqualTo(200);
    assertThat(grid.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(grid.body()));
    // 5 images: 3 columns, 2 rows, 2 px gaps.
    assertThat(image.getWidth()).isEqualTo(3 * SIZE + 2 * PngImages.GAP);
    assertThat(image.getHeight()).isEqualTo(2 * SIZE + PngImages.GAP);

    JsonNode json =
        generateJson(colocated.port(), start + ", \"count\": 3, \"steps\": 4, \"seed\": 5}");
    assertThat(json.get("seed").asLong()).isEqualTo(5);
    assertThat(json.get("images")).hasSize(3);
    for (JsonNode encoded : json.get("images")) {
      BufferedImage one =
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(encoded.asText())));
      assertThat(one.getWidth()).isEqualTo(SIZE);
      assertThat(one.getHeight()).isEqualTo(SIZE);
    }
  }

  @Test
  void theTraceShowsTheExpertOfEveryImageAtEveryStep() throws Exception {
    JsonNode json =
        generateJson(
            colocated.port(),
            "{\"count\": 4, \"steps\": 6, \"seed\": 2, \"format\": \"json\", \"trace\": true}");
    JsonNode trace = json.get("trace");
    assertThat(trace).hasSize(6);
    assertThat(trace.get(0).get("t").asDouble()).isEqualTo(1.0);
    for (JsonNode step : trace) {
      assertThat(step.get("experts")).hasSize(4);
      step.get("experts").forEach(e -> assertThat(e.asInt()).isBetween(0, 1));
    }
  }

  @Test
  void modelsListsTheCheckpointStepsServed() throws Exception {
    JsonNode models = JSON.readTree(HttpClients.get(colocated.port(), "/v1/models").body());
    assertThat(models.get("experts")).hasSize(2);
    assertThat(models.get("experts").get(1).get("step").asLong()).isEqualTo(8);
    assertThat(models.get("router").get("step").asLong()).isEqualTo(8);
    assertThat(models.get("imageSize").asInt()).isEqualTo(SIZE);
    String metrics = HttpClients.get(colocated.port(), "/metrics").body();
    assertThat(metrics).contains("archipelago_expert_selections_total{expert=\"0\"}");
    assertThat(metrics).contains("archipelago_generate_seconds_count{sampler=\"euler\"");
  }

  @Test
  void batchedTop1WithRealModelsEqualsEvaluatingEachImageAlone() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader loader =
          new ModelLoader(config, buckets.forBucket(TestRun.BUCKET), scratch, manager);
      List<VelocityModel> experts =
          List.of(loader.expert(0, null).model(), loader.expert(1, null).model());
      ExpertRouter router = loader.router(null).model();
      ImageShape shape = new ImageShape(3, SIZE);
      int count = 6;
      float[] x = new float[count * shape.values()];
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      float[] t = {0.9f, 0.7f, 0.5f, 0.3f, 0.2f, 0.05f};
      VelocityQuery batch = new VelocityQuery(shape, count, x, t, null, 1f);
      RoutingTrace trace = new RoutingTrace();
      float[] batched =
          new EnsembleVelocity(router, experts, Routing.top1(), 0, trace, (e, n) -> {})
              .velocity(batch);
      for (int i = 0; i < count; i++) {
        float[] alone =
            new EnsembleVelocity(router, experts, Routing.top1(), 0, null, (e, n) -> {})
                .velocity(batch.rows(new int[] {i}));
        for (int p = 0; p < alone.length; p++) {
          assertThat(batched[i * shape.values() + p]).isCloseTo(alone[p], within(1e-4f));
        }
      }
    }
  }

  @Test
  void fp16ServingLoadsTheCheckpointsAndDrawsTheFp32Images() throws Exception {
    String body = "{\"seed\": 11, \"count\": 4, \"steps\": 8, \"strategy\": \"full\"}";
    JsonNode full = generateJson(colocated.port(), body);
    try (Serving half = serve(options(ServeRole.COLOCATED, List.of(), ComputePrecision.FP16))) {
      JsonNode halved = generateJson(half.port(), body);
      double largest = 0;
      double sum = 0;
      int pixels = 0;
      for (int i = 0; i < 4; i++) {
        int[] a = rgb(full.path("images").get(i).asText());
        int[] b = rgb(halved.path("images").get(i).asText());
        for (int j = 0; j < a.length; j++) {
          largest = Math.max(largest, Math.abs(a[j] - b[j]));
          sum += Math.abs(a[j] - b[j]);
          pixels++;
        }
      }
      System.out.printf(
          "fp16 vs fp32 serving: mean |difference| %.3f, largest %.0f (of 255)%n",
          sum / pixels, largest);
      // fp16 rounds each layer at about 1e-3: a few levels at most after 8 steps.
      assertThat(sum / pixels).isLessThan(2.0);
      assertThat(largest).isLessThanOrEqualTo(16);
    }
  }

  /** The 8-bit channel values of a base64 PNG. */
  private static int[] rgb(String base64) throws Exception {
    BufferedImage image =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    int[] out = new int[image.getWidth() * image.getHeight() * 3];
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int argb = image.getRGB(x, y);
        out[n++] = (argb >> 16) & 0xff;
        out[n++] = (argb >> 8) & 0xff;
        out[n++] = argb & 0xff;
      }
    }
    return out;
  }

  @Test
  void distributedExpertsInTheirOwnProcessesGiveTheColocatedImages() throws Exception {
    Path runConfig = scratch.resolve("run-config.json");
    Files.writeString(runConfig, config.toJson());
    Map<String, String> env = new HashMap<>(s3.credentials());
    env.put(PodEnv.SCRATCH_DIR, scratch.toString());
    List<ServerProcess> experts = new ArrayList<>();
    try {
      for (int k = 0; k < 2; k++) {
        experts.add(
            ServerProcess.start(
                List.of(
                    "serve",
                    "--config",
                    runConfig.toString(),
                    "--role",
                    "expert",
                    "--expert",
                    Integer.toString(k),
                    "--port",
                    "0",
                    "--probe-port",
                    "0",
                    "--bind",
                    "127.0.0.1"),
                env,
                scratch.resolve("expert-" + k + ".log")));
      }
      List<URI> urls = experts.stream().map(e -> URI.create(e.url())).toList();
      try (Serving router = serve(options(ServeRole.ROUTER, urls))) {
        awaitReady(router.port());
        for (String strategy : List.of("top1", "full", "sample")) {
          String body =
              "{\"strategy\": \""
                  + strategy
                  + "\", \"count\": 4, \"steps\": 5, \"seed\": 11,"
                  + " \"format\": \"json\"}";
          assertThat(generateJson(router.port(), body).get("images"))
              .as(strategy)
              .isEqualTo(generateJson(colocated.port(), body).get("images"));
        }

        experts.remove(1).close();
        HttpResponse<byte[]> failed =
            HttpClients.post(router.port(), "/v1/generate", "{\"strategy\": \"full\"}");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(new String(failed.body())).contains("expert 1 at " + urls.get(1));
        String readiness = awaitNotReady(router.port());
        assertThat(readiness).contains("expert 1 at " + urls.get(1));
      }
    } finally {
      for (ServerProcess expert : experts) {
        expert.close();
      }
    }
  }

  private static Serving serve(ServeOptions options) throws Exception {
    return Serving.start(config, options, buckets::forBucket, scratch);
  }

  private static ServeOptions options(ServeRole role, List<URI> urls) {
    return options(role, urls, ComputePrecision.FP32);
  }

  private static ServeOptions options(ServeRole role, List<URI> urls, ComputePrecision precision) {
    return new ServeOptions(
        role,
        null,
        urls,
        new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0),
        RequestLimits.ofCount(16),
        InferenceServer.DEFAULT_MAX_QUEUED,
        Optional.of(new BatchPolicy(16, Duration.ofMillis(2), BatchPolicy.CALIBRATE)),
        precision,
        Map.of(),
        null,
        Duration.ofSeconds(30));
  }

  private static JsonNode generateJson(int port, String body) throws Exception {
    String withFormat =
        body.contains("\"format\"") ? body : body.replaceFirst("\\}$", ", \"format\": \"json\"}");
    HttpResponse<byte[]> response = HttpClients.post(port, "/v1/generate", withFormat);
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static void awaitReady(int port) {
    await("router ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> HttpClients.get(port, "/readyz").statusCode() == 200);
  }

  private static String awaitNotReady(int port) {
    return await("router not ready")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> HttpClients.get(port, "/readyz"), r -> r.statusCode() == 503)
        .body();
  }
}
