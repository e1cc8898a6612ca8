package dev.archipelago.operator;

import dev.archipelago.operator.config.OperatorConfig;
import dev.archipelago.operator.http.HealthServer;
import dev.archipelago.operator.island.ComputeIslandReconciler;
import dev.archipelago.operator.metrics.RunMetrics;
import dev.archipelago.operator.run.DDMRunReconciler;
import dev.archipelago.operator.run.RunDeletion;
import dev.archipelago.operator.run.RunEventSources;
import dev.archipelago.operator.run.RunEvents;
import dev.archipelago.operator.run.RunPlanner;
import dev.archipelago.operator.run.StorageCleanupReconciler;
import dev.archipelago.operator.run.progress.ObjectStoreClients;
import dev.archipelago.operator.run.progress.ProgressFetcher;
import dev.archipelago.operator.run.progress.StorageCleanup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator together: the one place where collaborators are built. */
public final class ArchipelagoOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArchipelagoOperator.class);

  /**
   * How long stopping waits for in-flight reconciles. JOSDK's default (none) interrupts them and
   * returns at once, so a reconcile could still write a run's status after the operator stopped,
   * beside its successor. A reconcile reads the informer caches and makes a few writes, well under
   * this; and it ends before a standby can take the Lease (lease duration minus renew deadline).
   */
  private static final Duration RECONCILE_DRAIN = Duration.ofSeconds(5);

  private final Operator operator;
  private final HealthServer http;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean stopping;

  private ArchipelagoOperator(
      Operator operator,
      HealthServer http,
      PrometheusMeterRegistry registry,
      AtomicBoolean stopping) {
    this.operator = operator;
    this.http = http;
    this.registry = registry;
    this.stopping = stopping;
  }

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    ArchipelagoOperator running = start(client, config);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "operator-shutdown"));
    LOG.info("Archipelago operator started; health and metrics on port {}", running.httpPort());
  }

  /** Starts the operator on the given client; used by {@link #main} and by tests. */
  public static ArchipelagoOperator start(KubernetesClient client, OperatorConfig config)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean stopping = new AtomicBoolean();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(RECONCILE_DRAIN)
                  .withMetrics(
                      MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                          .build());
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(config, stopping));
              }
            });
    ObjectStoreClients stores = new ObjectStoreClients(client);
    Duration poll = config.progressPollInterval();
    RunEvents events = new RunEvents(client);
    RunMetrics runMetrics = new RunMetrics(registry);
    DDMRunReconciler runs =
        new DDMRunReconciler(
            new RunPlanner(config),
            new RunEventSources(new ProgressFetcher(stores, poll), poll),
            events,
            runMetrics);
    StorageCleanupReconciler cleanups =
        new StorageCleanupReconciler(
            new RunDeletion(new StorageCleanup(stores), events, poll), runMetrics);
    for (io.javaoperatorsdk.operator.api.reconciler.Reconciler<dev.archipelago.api.DDMRun> r :
        List.of(runs, cleanups)) {
      operator.register(
          r,
          o -> {
            if (!config.watchNamespaces().isEmpty()) {
              o.settingNamespaces(config.watchNamespaces());
            }
          });
    }
    operator.register(new ComputeIslandReconciler());
    HealthServer http =
        new HealthServer(
            config.httpPort(),
            () ->
                operator.getRuntimeInfo().allEventSourcesAreHealthy()
                    && operator.getRuntimeInfo().isStarted(),
            registry);
    operator.start();
    return new ArchipelagoOperator(operator, http, registry, stopping);
  }

  /**
   * Leader election. A replica that loses its Lease while it runs must stop acting at once, or two
   * operators would reconcile the same runs: it exits and Kubernetes restarts it as a standby.
   * JOSDK's own exit-on-stop would also fire on a deliberate stop (a test, the shutdown hook, where
   * System.exit deadlocks), so the exit is ours and skipped while {@link #close()} runs.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorConfig config, AtomicBoolean stopping) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> LOG.info("leading as {}", config.leaderIdentity()),
            () -> {
              if (!stopping.get()) {
                LOG.error(
                    "lost the leader Lease {}; exiting so that a standby takes over",
                    config.leaseName());
                new Thread(() -> System.exit(1), "lost-lease-exit").start();
              }
            },
            leader -> LOG.info("leader is now {}", leader));
    return new LeaderElectionConfiguration(
        config.leaseName(),
        config.leaseNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        config.leaderIdentity(),
        callbacks,
        false);
  }

  public int httpPort() {
    return http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    stopping.set(true);
    operator.stop();
    http.close();
  }
}
