package dev.archipelago.operator.run.progress;

import dev.archipelago.api.DDMRun;
import dev.archipelago.api.contract.ClusterSizes;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.contract.Progress;
import dev.archipelago.api.contract.StorageLayout;
import dev.archipelago.api.contract.StorageLocation;
import dev.archipelago.api.status.RunPhase;
import dev.archipelago.operator.run.Distillation;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a run's trainers wrote (cluster sizes, progress reports, the student's for a run that
 * distils) on every poll. Runs on the polling event source's threads, never inside reconcile(). A
 * missing object is normal (not written yet); an unreachable store becomes {@link
 * RunProgress#unreadable} and is retried.
 */
public final class ProgressFetcher
    implements PerResourcePollingEventSource.ResourceFetcher<RunProgress, DDMRun> {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressFetcher.class);

  /** A finished run's storage changes no more; it is read this many times less often. */
  static final int FINISHED_BACKOFF = 10;

  /** An unreadable store is retried this many times less often, up to {@link #MAX_DELAY}. */
  static final int UNREADABLE_BACKOFF = 4;

  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private final ObjectStoreClients clients;
  private final Duration period;

  public ProgressFetcher(ObjectStoreClients clients, Duration period) {
    this.clients = clients;
    this.period = period;
  }

  @Override
  public Optional<Duration> fetchDelay(Set<RunProgress> last, DDMRun run) {
    boolean unreadable = last != null && last.stream().anyMatch(p -> p.error().isPresent());
    RunPhase phase = run.getStatus() == null ? null : run.getStatus().getPhase();
    boolean finished =
        phase == RunPhase.Succeeded || phase == RunPhase.Serving || phase == RunPhase.Failed;
    int factor = unreadable ? UNREADABLE_BACKOFF : finished ? FINISHED_BACKOFF : 1;
    Duration delay = period.multipliedBy(factor);
    return Optional.of(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
  }

  @Override
  public Set<RunProgress> fetchResources(DDMRun run) {
    if (run.getMetadata().getUid() == null) {
      return Set.of(RunProgress.NONE);
    }
    StorageLocation location =
        StorageLocation.of(
            run.getSpec().getStorage(),
            run.getMetadata().getNamespace(),
            run.getMetadata().getName(),
            run.getMetadata().getUid());
    StorageLayout layout = location.layout();
    try {
      MinioClient s3 = clients.forRun(run);
      String bucket = location.bucket();
      boolean encoded =
          run.getSpec().getDataset().getEncode() != null
              && read(s3, bucket, layout.encodeReport()).isPresent();
      Optional<ClusterSizes> sizes =
          read(s3, bucket, layout.clusterSizes())
              .map(b -> ContractJson.read(b, ClusterSizes.class));
      Map<Integer, Progress> experts = new HashMap<>();
      int k = run.getSpec().getPartitioning().getExperts();
      for (int expert = 0; expert < k; expert++) {
        Optional<byte[]> report = read(s3, bucket, layout.expertProgress(expert));
        if (report.isPresent()) {
          experts.put(expert, ContractJson.read(report.get(), Progress.class));
        }
      }
      Optional<Progress> router =
          read(s3, bucket, layout.routerProgress()).map(b -> ContractJson.read(b, Progress.class));
      // Only a run that distils has a student to read: the others pay no extra request.
      Optional<Progress> student =
          Distillation.distils(run)
              ? read(s3, bucket, layout.distillationProgress())
                  .map(b -> ContractJson.read(b, Progress.class))
              : Optional.empty();
      return Set.of(new RunProgress(encoded, sizes, experts, router, student, Optional.empty()));
    } catch (RuntimeException e) {
      LOG.warn(
          "[{}/{}] cannot read progress from storage: {}",
          run.getMetadata().getNamespace(),
          run.getMetadata().getName(),
          e.getMessage());
      return Set.of(RunProgress.unreadable(e.getMessage()));
    }
  }

  private static Optional<byte[]> read(MinioClient s3, String bucket, String key) {
    try (GetObjectResponse in =
        s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return Optional.of(in.readAllBytes());
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
        return Optional.empty();
      }
      throw new IllegalStateException("s3 " + code + " reading " + key, e);
    } catch (Exception e) {
      throw new IllegalStateException("s3 error reading " + key + ": " + e.getMessage(), e);
    }
  }
}
