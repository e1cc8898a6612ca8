package dev.archipelago.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * When a fan-out reached each stage, seen by watches: its first Job created, all Jobs created, all
 * pods created, all pods bound to a node, all Running. Shows where the time from apply to Running
 * goes, so that two controllers are compared stage by stage and not only end to end.
 */
final class FanOutTimeline implements AutoCloseable {
  static final String RUNNING = "running";
  private static final String FAN_OUT = "fan-out";
  private final long start = System.nanoTime();
  private final int expected;
  private final Map<String, Long> reached = new ConcurrentHashMap<>();
  private final Set<String> jobs = ConcurrentHashMap.newKeySet();
  private final Set<String> pods = ConcurrentHashMap.newKeySet();
  private final Set<String> bound = ConcurrentHashMap.newKeySet();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<Job> jobInformer;
  private final SharedIndexInformer<Pod> podInformer;

  /**
   * Watches the Jobs and pods labelled {@code label=value} that pass {@code counted}. The fan-out
   * starts now, or when a watched pod first passes {@code startsFanOut} (the partition pod seen
   * Succeeded: a DDMRun's experts wait for it).
   */
  FanOutTimeline(
      KubernetesClient client,
      String label,
      String value,
      int expected,
      Predicate<HasMetadata> counted,
      Predicate<Pod> startsFanOut) {
    this.expected = expected;
    this.jobInformer =
        client
            .batch()
            .v1()
            .jobs()
            .withLabel(label, value)
            .inform(
                onChange(
                    (Job j) -> {
                      if (counted.test(j)) {
                        reached.putIfAbsent("first job", System.nanoTime());
                        record("jobs", jobs, j, true);
                      }
                    }));
    this.podInformer =
        client
            .pods()
            .withLabel(label, value)
            .inform(
                onChange(
                    (Pod p) -> {
                      if (startsFanOut.test(p)) {
                        reached.putIfAbsent(FAN_OUT, System.nanoTime());
                      }
                      if (!counted.test(p)) {
                        return;
                      }
                      record("pods", pods, p, true);
                      record("bound", bound, p, p.getSpec().getNodeName() != null);
                      record(RUNNING, running, p, "Running".equals(p.getStatus().getPhase()));
                    }));
  }

  /** Seconds from the fan-out's start to the stage, or NaN if it was not reached. */
  double seconds(String stage) {
    Long at = reached.get(stage);
    return at == null ? Double.NaN : (at - reached.getOrDefault(FAN_OUT, start)) / 1e9;
  }

  /** Seconds from this timeline's creation (the apply) to the stage, or NaN. */
  double secondsFromCreation(String stage) {
    Long at = reached.get(stage);
    return at == null ? Double.NaN : (at - start) / 1e9;
  }

  String describe() {
    return String.format(
        "first Job %.1f, all Jobs %.1f, pods %.1f, bound %.1f, running %.1f",
        seconds("first job"),
        seconds("jobs"),
        seconds("pods"),
        seconds("bound"),
        seconds("running"));
  }

  private void record(String stage, Set<String> seen, HasMetadata o, boolean counts) {
    if (counts && seen.add(o.getMetadata().getName()) && seen.size() == expected) {
      reached.putIfAbsent(stage, System.nanoTime());
    }
  }

  private static <T> ResourceEventHandler<T> onChange(java.util.function.Consumer<T> each) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        each.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        each.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  @Override
  public void close() {
    jobInformer.close();
    podInformer.close();
  }
}
