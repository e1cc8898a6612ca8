package dev.archipelago.operator.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the write requests (anything but GET) one client sends, by method and path shape. */
final class WriteCounter implements Interceptor {
  private final AtomicLong writes = new AtomicLong();
  private final Map<String, AtomicLong> byKind = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      writes.incrementAndGet();
      String path =
          request.uri().getPath().replaceAll("/namespaces/[^/]+", "").replaceAll("/[^/]+$", "/*");
      byKind
          .computeIfAbsent(request.method() + " " + path, k -> new AtomicLong())
          .incrementAndGet();
    }
  }

  long writes() {
    return writes.get();
  }

  Map<String, AtomicLong> byKind() {
    return byKind;
  }

  void reset() {
    writes.set(0);
    byKind.clear();
  }
}
