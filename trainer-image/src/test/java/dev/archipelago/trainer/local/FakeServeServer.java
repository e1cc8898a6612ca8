package dev.archipelago.trainer.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for {@code archipelago serve}'s HTTP contract: /readyz, /v1/models and /v1/generate
 * answering a solid-colour PNG per expert (red, green, ...) and blue for the ensemble, or a JSON
 * error when told to.
 */
final class FakeServeServer implements AutoCloseable {
  static final Color[] EXPERT_COLOURS = {Color.RED, Color.GREEN, Color.YELLOW};
  static final Color ENSEMBLE_COLOUR = Color.BLUE;
  static final int SAMPLE_SIZE = 16;

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final List<JsonNode> generateBodies = new CopyOnWriteArrayList<>();
  private volatile String generateError;

  FakeServeServer(int experts) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/readyz", exchange -> send(exchange, 200, "text/plain", "ok".getBytes()));
    server.createContext(
        "/v1/models",
        exchange -> {
          StringBuilder body = new StringBuilder("{\"experts\":[");
          for (int k = 0; k < experts; k++) {
            body.append(k == 0 ? "" : ",").append("{\"index\":").append(k).append(",\"step\":30}");
          }
          body.append("],\"router\":{\"step\":10},\"imageSize\":16,\"strategy\":\"topk\"}");
          send(exchange, 200, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
        });
    server.createContext("/v1/generate", this::generate);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<JsonNode> generateBodies() {
    return generateBodies;
  }

  /** Makes every later generate call fail with this message, blaming field {@code count}. */
  void failGenerate(String message) {
    generateError = message;
  }

  private void generate(HttpExchange exchange) throws IOException {
    JsonNode body = json.readTree(exchange.getRequestBody());
    generateBodies.add(body);
    if (generateError != null) {
      String error = "{\"error\":\"" + generateError + "\",\"field\":\"count\"}";
      send(exchange, 400, "application/json", error.getBytes(StandardCharsets.UTF_8));
      return;
    }
    int count = body.path("count").asInt(1);
    int columns = (int) Math.ceil(Math.sqrt(count));
    int rows = (count + columns - 1) / columns;
    Color colour =
        body.has("expert") ? EXPERT_COLOURS[body.get("expert").asInt()] : ENSEMBLE_COLOUR;
    byte[] png =
        SolidImages.png(
            colour, columns * SAMPLE_SIZE + (columns - 1) * 2, rows * SAMPLE_SIZE + (rows - 1) * 2);
    send(exchange, 200, "image/png", png);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
