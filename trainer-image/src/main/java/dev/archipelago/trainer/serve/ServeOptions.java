package dev.archipelago.trainer.serve;

import dev.archipelago.trainer.train.ComputePrecision;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to serve.
 *
 * @param expert the expert of the expert role, else null
 * @param expertUrls the experts' base URLs in the router role, in expert order
 * @param limits what one generate request may ask for
 * @param pinnedExpertSteps checkpoint steps to serve per expert instead of latest
 * @param pinnedRouterStep the router's checkpoint step instead of latest, or null
 * @param expertTimeout how long the router waits for one expert call
 * @param probeAddress where /healthz and /readyz are also served on threads of their own, or null
 * @param maxQueued generations admitted at once (running or waiting); more get 429
 * @param batching how models batch across requests; empty for one generation at a time
 * @param precision the number format the models hold their weights and run in
 */
public record ServeOptions(
    ServeRole role,
    Integer expert,
    List<URI> expertUrls,
    InetSocketAddress address,
    InetSocketAddress probeAddress,
    RequestLimits limits,
    int maxQueued,
    Optional<BatchPolicy> batching,
    ComputePrecision precision,
    Map<Integer, Long> pinnedExpertSteps,
    Long pinnedRouterStep,
    Duration expertTimeout) {

  public ServeOptions {
    expertUrls = List.copyOf(expertUrls);
    pinnedExpertSteps = Map.copyOf(pinnedExpertSteps);
  }
}
