package dev.archipelago.trainer.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching: every model of the process has a {@link Lane} where generations leave the
 * images they need evaluated, and one thread runs the models, each pass taking up to {@code
 * maxRows} waiting images of one model from all requests, whatever step each request is at (t is a
 * per-image input). One thread, as PyTorch keeps one warm intra-op thread team per calling thread
 * and a single pass already uses all of them.
 *
 * <p>A lane is ready when it holds {@code maxRows} images, or its oldest has waited {@code
 * maxWait}, or no more images can come: while this thread waits no pass runs, so only a caller that
 * is between two evaluations (a {@link Session} with nothing queued) could still add some. Of the
 * ready lanes the one with the oldest image runs first, so no model starves another.
 */
public final class ModelScheduler implements AutoCloseable {
  /** Told about every forward pass (for metrics). */
  @FunctionalInterface
  public interface PassListener {
    void ran(String lane, int rows, int paddedRows, int waitingRows);
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Lane> lanes = new ArrayList<>();
  private final PassListener listener;
  private final Thread thread;
  private boolean closed;
  private int sessions;

  public ModelScheduler(PassListener listener) {
    this.listener = listener;
    this.thread = new Thread(this::loop, "model");
    thread.setDaemon(true);
    thread.start();
  }

  /** A new lane for {@code model}; its policy's padding must already be decided. */
  public Lane lane(String name, RowForward model, BatchPolicy policy) {
    if (policy.padRows() == BatchPolicy.CALIBRATE) {
      throw new IllegalArgumentException("calibrate the padding of " + name + " first");
    }
    Lane lane = new Lane(name, model, policy);
    lock.lock();
    try {
      lanes.add(lane);
    } finally {
      lock.unlock();
    }
    return lane;
  }

  /** Images waiting in all lanes. */
  public int waitingRows() {
    lock.lock();
    try {
      return lanes.stream().mapToInt(l -> l.waitingRows).sum();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the calling thread as a caller that will keep submitting (a generation, or one velocity
   * request of the expert role) until the session is closed, so that lanes wait for it while it is
   * between evaluations and not once it is blocked in a lane.
   */
  public Session session() {
    lock.lock();
    try {
      sessions++;
    } finally {
      lock.unlock();
    }
    return new Session();
  }

  /** A caller's time of submitting; see {@link #session()}. */
  public final class Session implements AutoCloseable {
    private boolean open = true;

    private Session() {}

    @Override
    public void close() {
      lock.lock();
      try {
        if (open) {
          open = false;
          sessions--;
          changed.signal();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** Whether a session may still submit: more sessions than callers blocked in the lanes. */
  private boolean moreMayCome() {
    java.util.Set<Thread> blocked = new java.util.HashSet<>();
    for (Lane lane : lanes) {
      for (Pending p : lane.queue) {
        blocked.add(p.caller);
      }
    }
    return sessions > blocked.size();
  }

  private void loop() {
    lock.lock();
    try {
      while (!closed) {
        long now = System.nanoTime();
        boolean moreMayCome = moreMayCome();
        Lane ready = null;
        long nextDue = Long.MAX_VALUE;
        for (Lane lane : lanes) {
          lane.dropCancelled();
          Pending head = lane.queue.peek();
          if (head == null) {
            continue;
          }
          long due = head.arrived + lane.policy.maxWait().toNanos();
          if (lane.waitingRows >= lane.policy.maxRows() || due - now <= 0 || !moreMayCome) {
            if (ready == null || head.arrived - ready.queue.peek().arrived < 0) {
              ready = lane;
            }
          } else {
            nextDue = Math.min(nextDue, due);
          }
        }
        if (ready == null) {
          if (nextDue == Long.MAX_VALUE) {
            changed.awaitUninterruptibly();
          } else {
            changed.awaitNanos(nextDue - now);
          }
          continue;
        }
        Pass pass = ready.take();
        int waiting = ready.waitingRows;
        lock.unlock();
        try {
          pass.run();
          listener.ran(ready.name, pass.rows, pass.paddedRows, waiting);
        } finally {
          lock.lock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Lane lane : lanes) {
        lane.queue.forEach(
            p -> p.result.completeExceptionally(new IllegalStateException("the server stopped")));
      }
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Where one model's evaluations wait to be batched. */
  public final class Lane {
    private final String name;
    private final RowForward model;
    private final BatchPolicy policy;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int waitingRows;

    private Lane(String name, RowForward model, BatchPolicy policy) {
      this.name = name;
      this.model = model;
      this.policy = policy;
    }

    public BatchPolicy policy() {
      return policy;
    }

    /**
     * Leaves {@code query}'s images to be evaluated (its guidance scale is not used: the model's
     * raw output is returned). Cancelling the future withdraws the images not yet taken.
     */
    public CompletableFuture<float[]> submit(VelocityQuery query) {
      Pending pending = new Pending(query);
      lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("the server is stopping");
        }
        queue.add(pending);
        waitingRows += query.count();
        changed.signal();
      } finally {
        lock.unlock();
      }
      return pending.result;
    }

    private void dropCancelled() {
      while (!queue.isEmpty() && queue.peek().result.isDone()) {
        Pending gone = queue.poll();
        waitingRows -= gone.query.count() - gone.taken;
      }
    }

    /** Up to {@code maxRows} waiting images, oldest first; a request may span passes. */
    private Pass take() {
      List<Slice> slices = new ArrayList<>();
      int rows = 0;
      while (rows < policy.maxRows() && !queue.isEmpty()) {
        Pending head = queue.peek();
        if (head.result.isDone()) {
          dropCancelled();
          continue;
        }
        int n = Math.min(head.query.count() - head.taken, policy.maxRows() - rows);
        slices.add(new Slice(head, head.taken, n));
        head.taken += n;
        rows += n;
        waitingRows -= n;
        if (head.taken == head.query.count()) {
          queue.poll();
        }
      }
      return new Pass(model, slices, rows, Math.max(rows, policy.padRows()));
    }
  }

  /** One submitted query: its images, how many a pass has taken and the answer so far. */
  private static final class Pending {
    final VelocityQuery query;
    final CompletableFuture<float[]> result = new CompletableFuture<>();
    final long arrived = System.nanoTime();
    final Thread caller = Thread.currentThread();
    int taken;
    int delivered;
    float[] out;

    Pending(VelocityQuery query) {
      this.query = query;
    }
  }

  /** Rows {@code [from, from + count)} of a pending query, within one pass. */
  private record Slice(Pending pending, int from, int count) {}

  /** One forward pass over the slices, padded with copies of its first image. */
  private static final class Pass {
    final RowForward model;
    final List<Slice> slices;
    final int rows;
    final int paddedRows;

    Pass(RowForward model, List<Slice> slices, int rows, int paddedRows) {
      this.model = model;
      this.slices = slices;
      this.rows = rows;
      this.paddedRows = paddedRows;
    }

    void run() {
      if (slices.isEmpty()) {
        return;
      }
      VelocityQuery first = slices.get(0).pending().query;
      ImageShape shape = first.shape();
      int values = shape.values();
      boolean labelled = first.labels() != null;
      float[] x = new float[paddedRows * values];
      float[] t = new float[paddedRows];
      long[] labels = labelled ? new long[paddedRows] : null;
      int row = 0;
      for (Slice s : slices) {
        VelocityQuery q = s.pending().query;
        System.arraycopy(q.x(), s.from() * values, x, row * values, s.count() * values);
        System.arraycopy(q.t(), s.from(), t, row, s.count());
        if (labelled) {
          System.arraycopy(q.labels(), s.from(), labels, row, s.count());
        }
        row += s.count();
      }
      for (; row < paddedRows; row++) {
        System.arraycopy(x, 0, x, row * values, values);
        t[row] = t[0];
        if (labelled) {
          labels[row] = labels[0];
        }
      }
      float[] out;
      try {
        out = model.forward(shape, x, t, labels);
      } catch (RuntimeException | Error e) {
        slices.forEach(s -> s.pending().result.completeExceptionally(e));
        return;
      }
      int width = out.length / paddedRows;
      int at = 0;
      for (Slice s : slices) {
        Pending p = s.pending();
        if (p.out == null) {
          p.out = new float[p.query.count() * width];
        }
        System.arraycopy(out, at * width, p.out, s.from() * width, s.count() * width);
        at += s.count();
        p.delivered += s.count();
        if (p.delivered == p.query.count()) {
          p.result.complete(p.out);
        }
      }
    }
  }
}
