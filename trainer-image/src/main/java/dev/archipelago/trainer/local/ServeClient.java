package dev.archipelago.trainer.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/** A client of the inference server's HTTP API ({@code archipelago serve}). */
public final class ServeClient {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final int OK = 200;

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  public ServeClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    // HTTP/1.1, as the server speaks: no h2c upgrade attempt on every new connection.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public URI base() {
    return base;
  }

  /** {@code GET /readyz}: true once the models are loaded; false while it cannot even connect. */
  public boolean ready() throws InterruptedException {
    try {
      HttpResponse<Void> response =
          http.send(
              request("/readyz").timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == OK;
    } catch (IOException e) {
      // Not listening yet (connection refused) or not answering: not ready.
      return false;
    }
  }

  /** {@code GET /v1/models}. */
  public ServedModels models() throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(request("/v1/models").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    requireOk("GET /v1/models", response);
    return JSON.readValue(response.body(), ServedModels.class);
  }

  /** {@code POST /v1/generate} with a PNG answer: the grid of samples. */
  public BufferedImage generate(SampleRequest body) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = post(body);
    requireOk("POST /v1/generate " + JSON.writeValueAsString(body), response);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
    if (image == null) {
      throw new IOException(
          "POST /v1/generate answered "
              + response.headers().firstValue("Content-Type").orElse("no content type")
              + ", not a PNG");
    }
    return image;
  }

  /** {@code POST /v1/generate} with a JSON answer: each sample as its own image. */
  public List<BufferedImage> generateEach(SampleRequest body)
      throws IOException, InterruptedException {
    if (!SampleRequest.JSON.equals(body.format())) {
      throw new IllegalArgumentException("generateEach asks for format json");
    }
    HttpResponse<byte[]> response = post(body);
    requireOk("POST /v1/generate " + JSON.writeValueAsString(body), response);
    List<BufferedImage> images = new ArrayList<>();
    for (JsonNode encoded : JSON.readTree(response.body()).path("images")) {
      BufferedImage image =
          ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(encoded.asText())));
      if (image == null) {
        throw new IOException("POST /v1/generate answered an image that is not a PNG");
      }
      images.add(image);
    }
    return images;
  }

  private HttpResponse<byte[]> post(SampleRequest body) throws IOException, InterruptedException {
    return http.send(
        request("/v1/generate")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
  }

  /** Turns an error answer ({"error": ..., "field": ...}) into a readable exception. */
  private static void requireOk(String what, HttpResponse<byte[]> response) throws IOException {
    if (response.statusCode() == OK) {
      return;
    }
    String detail = new String(response.body(), StandardCharsets.UTF_8);
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error != null && error.hasNonNull("error")) {
        detail = error.get("error").asText();
        if (error.hasNonNull("field")) {
          detail += " (field " + error.get("field").asText() + ")";
        }
      }
    } catch (IOException e) {
      // Not JSON: keep the raw body.
    }
    throw new IOException(what + " failed with HTTP " + response.statusCode() + ": " + detail);
  }
}
