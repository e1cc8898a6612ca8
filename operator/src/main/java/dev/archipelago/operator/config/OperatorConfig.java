package dev.archipelago.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator process can be told, typed and defaulted in one place. Read from the
 * environment (the Helm chart sets these), so that the container needs no config file.
 *
 * @param watchNamespaces namespaces to watch; empty means all ({@code
 *     ARCHIPELAGO_WATCH_NAMESPACES}, comma separated)
 * @param progressPollInterval how often trainers' progress objects are read ({@code
 *     ARCHIPELAGO_PROGRESS_POLL_INTERVAL}, ISO-8601 or seconds, default 15 s)
 * @param defaultTrainerImage image for runs that set none ({@code ARCHIPELAGO_TRAINER_IMAGE})
 * @param httpPort port of /healthz, /readyz and /metrics ({@code ARCHIPELAGO_HTTP_PORT}, default
 *     8080; 0 picks a free port)
 * @param leaderElection whether to elect a leader before reconciling ({@code
 *     ARCHIPELAGO_LEADER_ELECTION}, default false; the chart enables it with more than one replica)
 * @param leaseName name of the leader-election Lease ({@code ARCHIPELAGO_LEASE_NAME})
 * @param leaderIdentity this replica's name in the Lease ({@code ARCHIPELAGO_LEADER_IDENTITY}, the
 *     chart passes the pod name; default JOSDK's, the host name)
 * @param leaseNamespace namespace of the Lease ({@code ARCHIPELAGO_LEASE_NAMESPACE}; default the
 *     client's namespace)
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Duration progressPollInterval,
    String defaultTrainerImage,
    int httpPort,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String leaderIdentity) {

  public static final String DEFAULT_TRAINER_IMAGE = "ghcr.io/archipelago-dev/trainer:0.1.0";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    if (progressPollInterval.isNegative() || progressPollInterval.isZero()) {
      throw new IllegalArgumentException("ARCHIPELAGO_PROGRESS_POLL_INTERVAL must be positive");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("ARCHIPELAGO_HTTP_PORT must be 0-65535, got " + httpPort);
    }
  }

  public static OperatorConfig defaults() {
    return fromEnv(Map.of());
  }

  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        Arrays.stream(env.getOrDefault("ARCHIPELAGO_WATCH_NAMESPACES", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()),
        duration(env.getOrDefault("ARCHIPELAGO_PROGRESS_POLL_INTERVAL", "15")),
        env.getOrDefault("ARCHIPELAGO_TRAINER_IMAGE", DEFAULT_TRAINER_IMAGE),
        Integer.parseInt(env.getOrDefault("ARCHIPELAGO_HTTP_PORT", "8080")),
        Boolean.parseBoolean(env.getOrDefault("ARCHIPELAGO_LEADER_ELECTION", "false")),
        env.getOrDefault("ARCHIPELAGO_LEASE_NAME", "archipelago-operator"),
        env.get("ARCHIPELAGO_LEASE_NAMESPACE"),
        blankToNull(env.get("ARCHIPELAGO_LEADER_IDENTITY")));
  }

  public OperatorConfig withProgressPollInterval(Duration interval) {
    return new OperatorConfig(
        watchNamespaces,
        interval,
        defaultTrainerImage,
        httpPort,
        leaderElection,
        leaseName,
        leaseNamespace,
        leaderIdentity);
  }

  public OperatorConfig withHttpPort(int port) {
    return new OperatorConfig(
        watchNamespaces,
        progressPollInterval,
        defaultTrainerImage,
        port,
        leaderElection,
        leaseName,
        leaseNamespace,
        leaderIdentity);
  }

  public OperatorConfig withWatchNamespaces(Set<String> namespaces) {
    return new OperatorConfig(
        namespaces,
        progressPollInterval,
        defaultTrainerImage,
        httpPort,
        leaderElection,
        leaseName,
        leaseNamespace,
        leaderIdentity);
  }

  /** Leader election on, in {@code namespace}, under this replica's {@code identity}. */
  public OperatorConfig withLeaderElection(String namespace, String identity) {
    return new OperatorConfig(
        watchNamespaces,
        progressPollInterval,
        defaultTrainerImage,
        httpPort,
        true,
        leaseName,
        namespace,
        identity);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Duration duration(String value) {
    String v = value.strip();
    return v.startsWith("P") || v.startsWith("p")
        ? Duration.parse(v)
        : Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
  }
}
