package dev.archipelago.operator.it;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client interceptor that holds the first DDMRun status write until {@link #open()}, so that a
 * test can stop the operator while one of its reconciles is in the middle of a write.
 */
final class StatusWriteGate implements Interceptor {
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch opened = new CountDownLatch(1);
  private final AtomicBoolean interrupted = new AtomicBoolean();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    boolean statusWrite =
        "PATCH".equals(request.method())
            && request.uri().getPath().matches(".*/ddmruns/[^/]+/status");
    if (statusWrite && holding.getCount() > 0) {
      holding.countDown();
      try {
        opened.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until a status write is held. */
  boolean awaitHolding(Duration timeout) throws InterruptedException {
    return holding.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void open() {
    opened.countDown();
  }

  /** Whether the held write's thread was interrupted (the operator abandoning it). */
  boolean interrupted() {
    return interrupted.get();
  }
}
