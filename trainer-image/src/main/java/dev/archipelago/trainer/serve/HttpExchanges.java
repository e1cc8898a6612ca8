package dev.archipelago.trainer.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers to read requests and write answers on the JDK's HTTP server. */
final class HttpExchanges {
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpExchanges() {}

  /** The body, refused with 413 semantics (as a bad request) beyond {@code limit} bytes. */
  static byte[] body(HttpExchange exchange, int limit) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new BadRequestException("body", "the body is larger than " + limit + " bytes");
      }
      return bytes;
    }
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static void text(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static void json(HttpExchange exchange, int status, Object value) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(value));
  }

  /** {"error": message} plus a field, if any. */
  /** {@code /readyz}'s answer: 200 when {@code problem} is null, else 503 saying why. */
  static void readiness(HttpExchange exchange, String problem) throws IOException {
    if (problem == null) {
      text(exchange, 200, "ready\n");
    } else {
      text(exchange, 503, "not ready: " + problem + "\n");
    }
  }

  static void error(HttpExchange exchange, int status, String message, String field)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    json(exchange, status, body);
  }

  /** Answers 405 and returns false unless the request uses {@code method}. */
  static boolean requireMethod(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equalsIgnoreCase(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    error(exchange, 405, "use " + method, null);
    return false;
  }
}
