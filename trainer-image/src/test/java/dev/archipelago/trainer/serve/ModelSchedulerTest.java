package dev.archipelago.trainer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batching scheduler with a closed-form model (output = 10·x + t per row) that records every
 * pass: requests share passes, a request larger than a pass spans several and comes back in order,
 * padding rows never reach a caller, a lone caller never waits out {@code maxWait}, and a model's
 * failure reaches every request of its pass.
 */
class ModelSchedulerTest {
  private static final ImageShape ONE = new ImageShape(1, 1);
  private static final Duration FOREVER = Duration.ofHours(1);

  private final List<Integer> passes = new CopyOnWriteArrayList<>();
  private final RowForward linear =
      (shape, x, t, labels) -> {
        passes.add(t.length);
        float[] out = new float[t.length];
        for (int i = 0; i < t.length; i++) {
          out[i] = 10 * x[i] + t[i];
        }
        return out;
      };

  private static VelocityQuery rows(float... x) {
    float[] t = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      t[i] = 0.5f;
    }
    return new VelocityQuery(ONE, x.length, x, t, null, 1f);
  }

  @Test
  void aLoneCallerDoesNotWaitForOthersThatCannotCome() throws Exception {
    try (ModelScheduler scheduler = new ModelScheduler((lane, rows, padded, waiting) -> {});
        ModelScheduler.Session session = scheduler.session()) {
      ModelScheduler.Lane lane = scheduler.lane("m", linear, new BatchPolicy(8, FOREVER, 0));
      assertThat(lane.submit(rows(1, 2)).get(1, TimeUnit.MINUTES)).containsExactly(10.5f, 20.5f);
    }
  }

  @Test
  void requestsQueuedTogetherShareOnePassAndARequestLargerThanAPassSpansSeveral() throws Exception {
    CountDownLatch firstPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RowForward held =
        (shape, x, t, labels) -> {
          if (firstPass.getCount() > 0) {
            firstPass.countDown();
            await(release);
          }
          return linear.forward(shape, x, t, labels);
        };
    try (ModelScheduler scheduler = new ModelScheduler((lane, rows, padded, waiting) -> {})) {
      ModelScheduler.Lane lane = scheduler.lane("m", held, new BatchPolicy(4, FOREVER, 0));
      CompletableFuture<float[]> blocker = lane.submit(rows(0));
      assertThat(firstPass.await(1, TimeUnit.MINUTES)).isTrue();
      // While the first pass runs, two requests queue: 3 + 3 rows, passes of at most 4.
      CompletableFuture<float[]> a = lane.submit(rows(1, 2, 3));
      CompletableFuture<float[]> b = lane.submit(rows(4, 5, 6));
      release.countDown();
      assertThat(blocker.get(1, TimeUnit.MINUTES)).containsExactly(0.5f);
      assertThat(a.get(1, TimeUnit.MINUTES)).containsExactly(10.5f, 20.5f, 30.5f);
      assertThat(b.get(1, TimeUnit.MINUTES)).containsExactly(40.5f, 50.5f, 60.5f);
      assertThat(passes).containsExactly(1, 4, 2);
    }
  }

  @Test
  void paddedRowsAreComputedButNeverReturned() throws Exception {
    List<int[]> reported = new CopyOnWriteArrayList<>();
    try (ModelScheduler scheduler =
        new ModelScheduler(
            (lane, rows, padded, waiting) -> reported.add(new int[] {rows, padded}))) {
      ModelScheduler.Lane lane = scheduler.lane("m", linear, new BatchPolicy(8, Duration.ZERO, 5));
      assertThat(lane.submit(rows(7, 8)).get(1, TimeUnit.MINUTES)).containsExactly(70.5f, 80.5f);
      assertThat(passes).containsExactly(5);
      // The listener hears of a pass after its results are delivered.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> !reported.isEmpty());
      assertThat(reported.get(0)).containsExactly(2, 5);
    }
  }

  @Test
  void aFailingPassFailsEveryRequestInItAndTheLaneGoesOn() throws Exception {
    RowForward failingOnce =
        (shape, x, t, labels) -> {
          if (passes.isEmpty()) {
            passes.add(-1);
            throw new IllegalStateException("out of memory");
          }
          return linear.forward(shape, x, t, labels);
        };
    try (ModelScheduler scheduler = new ModelScheduler((lane, rows, padded, waiting) -> {})) {
      ModelScheduler.Lane lane =
          scheduler.lane("m", failingOnce, new BatchPolicy(8, Duration.ZERO, 0));
      CompletableFuture<float[]> failed = lane.submit(rows(1));
      assertThatThrownBy(() -> failed.get(1, TimeUnit.MINUTES))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("out of memory");
      assertThat(lane.submit(rows(2)).get(1, TimeUnit.MINUTES)).containsExactly(20.5f);
    }
  }

  @Test
  void aLaneWaitsForACallerBetweenEvaluationsUntilItsBatchFills() throws Exception {
    try (ModelScheduler scheduler = new ModelScheduler((lane, rows, padded, waiting) -> {})) {
      ModelScheduler.Lane lane = scheduler.lane("m", linear, new BatchPolicy(2, FOREVER, 0));
      ModelScheduler.Session first = scheduler.session();
      ModelScheduler.Session second = scheduler.session();
      CompletableFuture<float[]> a = lane.submit(rows(1));
      // The second session has nothing queued, so the lane waits for it.
      Thread.sleep(200);
      assertThat(a).isNotDone();
      CompletableFuture<float[]> b =
          CompletableFuture.supplyAsync(() -> lane.submit(rows(2)).join());
      assertThat(a.get(1, TimeUnit.MINUTES)).containsExactly(10.5f);
      assertThat(b.get(1, TimeUnit.MINUTES)).containsExactly(20.5f);
      assertThat(passes).containsExactly(2);
      first.close();
      second.close();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
