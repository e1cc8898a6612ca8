package dev.archipelago.trainer.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One complete HTTP answer: status, extra headers, content type and body. */
record HttpAnswer(int status, Map<String, String> headers, String contentType, byte[] body) {
  static final ObjectMapper JSON = new ObjectMapper();

  static HttpAnswer bytes(int status, String contentType, byte[] body) {
    return new HttpAnswer(status, Map.of(), contentType, body);
  }

  static HttpAnswer text(int status, String body) {
    return bytes(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static HttpAnswer json(int status, Object value) {
    try {
      return bytes(status, "application/json", JSON.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON", e);
    }
  }

  /** {"error": message} plus a field, if any. */
  static HttpAnswer error(int status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (field != null) {
      body.put("field", field);
    }
    return json(status, body);
  }

  /** {@code /readyz}'s answer: 200 when {@code problem} is null, else 503 saying why. */
  static HttpAnswer readiness(String problem) {
    return problem == null ? text(200, "ready\n") : text(503, "not ready: " + problem + "\n");
  }

  /** This answer with one more header. */
  HttpAnswer withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpAnswer(status, Map.copyOf(more), contentType, body);
  }
}
