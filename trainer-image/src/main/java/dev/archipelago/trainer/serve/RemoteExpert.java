package dev.archipelago.trainer.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An expert served by another process ({@code serve --role expert}), called over HTTP. The JDK
 * client keeps connections alive and pools them; every call has a timeout, and a failure names the
 * expert and its URL.
 */
public final class RemoteExpert implements VelocityModel {
  private final int index;
  private final URI base;
  private final HttpClient client;
  private final Duration timeout;

  public RemoteExpert(int index, URI base, HttpClient client, Duration timeout) {
    this.index = index;
    this.base = base;
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * The client a router shares among its experts: HTTP/1.1 keep-alive (the JDK client would
   * otherwise offer an h2c upgrade on every new connection, which the JDK server ignores).
   */
  public static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public int index() {
    return index;
  }

  public URI base() {
    return base;
  }

  @Override
  public float[] velocity(VelocityQuery query) {
    return Futures.await(velocityAsync(query));
  }

  /** Sends the query and returns at once; the router asks all its chosen experts in parallel. */
  @Override
  public CompletableFuture<float[]> velocityAsync(VelocityQuery query) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v1/velocity"))
            .timeout(timeout)
            .header("Content-Type", VelocityWire.CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(VelocityWire.encode(query)))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> answer(response, failure, query.x().length));
  }

  private float[] answer(HttpResponse<byte[]> response, Throwable failure, int values) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      throw new ExpertUnavailableException(index, base, cause.toString());
    }
    if (response.statusCode() != 200) {
      throw new ExpertUnavailableException(
          index,
          base,
          "HTTP "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8).strip());
    }
    try {
      return VelocityWire.decodeVelocity(response.body(), values);
    } catch (IOException e) {
      throw new ExpertUnavailableException(index, base, e.toString());
    }
  }

  /** Whether the expert answers its {@code /readyz} with 200 in time; the reason if not. */
  public String readinessProblem() {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/readyz")).timeout(timeout).GET().build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? null
          : "HTTP " + response.statusCode() + " " + response.body().strip();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
