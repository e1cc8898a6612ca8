package dev.archipelago.e2e.realnode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.testcluster.RealNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The highest memory each of a namespace's pods used, sampled every second from the real kubelet's
 * summary API (what {@code kubectl top} reads): RSS and working set, as the OOM killer and the
 * eviction manager see them.
 */
final class PodMemoryPeaks implements AutoCloseable {
  /** Peak resident set and working set of one pod, in bytes. */
  record Peak(long rssBytes, long workingSetBytes) {
    Peak max(Peak other) {
      return new Peak(
          Math.max(rssBytes, other.rssBytes), Math.max(workingSetBytes, other.workingSetBytes));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Peak> peaks = new TreeMap<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pod-memory-peaks");
            t.setDaemon(true);
            return t;
          });

  PodMemoryPeaks(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    sampler.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  synchronized Map<String, Peak> peaks() {
    return new TreeMap<>(peaks);
  }

  private void sample() {
    try {
      String summary = client.raw("/api/v1/nodes/" + RealNode.NAME + "/proxy/stats/summary");
      for (JsonNode pod : JSON.readTree(summary).path("pods")) {
        if (!namespace.equals(pod.path("podRef").path("namespace").asText())) {
          continue;
        }
        JsonNode memory = pod.path("memory");
        Peak now =
            new Peak(memory.path("rssBytes").asLong(), memory.path("workingSetBytes").asLong());
        synchronized (this) {
          peaks.merge(pod.path("podRef").path("name").asText(), now, Peak::max);
        }
      }
    } catch (Exception e) {
      // A missed sample only lowers the peak a little; the next one comes a second later.
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
