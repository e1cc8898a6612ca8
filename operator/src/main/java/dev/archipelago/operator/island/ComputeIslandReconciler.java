package dev.archipelago.operator.island;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.status.ComputeIslandStatus;
import dev.archipelago.api.status.ConditionType;
import dev.archipelago.api.status.StatusCondition;
import dev.archipelago.operator.run.status.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Keeps each ComputeIsland's status current from a Node informer: nodes its selector matches, how
 * many are usable (Ready, schedulable, taints tolerated) and their allocatable GPUs.
 */
@ControllerConfiguration(name = "computeisland")
public class ComputeIslandReconciler implements Reconciler<ComputeIsland> {
  private InformerEventSource<Node, ComputeIsland> nodes;

  @Override
  public List<EventSource<?, ComputeIsland>> prepareEventSources(
      EventSourceContext<ComputeIsland> context) {
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, ComputeIsland.class)
                .withName("nodes")
                .withSecondaryToPrimaryMapper(
                    node ->
                        context
                            .getPrimaryCache()
                            .list()
                            .filter(island -> IslandNodes.selects(island, node))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(nodes);
  }

  @Override
  public UpdateControl<ComputeIsland> reconcile(
      ComputeIsland island, Context<ComputeIsland> context) {
    List<Node> members =
        nodes.list(n -> IslandNodes.selects(island, n)).collect(Collectors.toList());
    List<Node> usable =
        members.stream().filter(n -> IslandNodes.usable(island, n)).collect(Collectors.toList());
    long gpus = usable.stream().mapToLong(n -> IslandNodes.gpus(island, n)).sum();
    long generation =
        island.getMetadata().getGeneration() == null ? 0 : island.getMetadata().getGeneration();
    List<StatusCondition> previous =
        island.getStatus() == null ? List.of() : island.getStatus().getConditions();
    boolean ready = !usable.isEmpty() && gpus > 0;
    ComputeIslandStatus status = new ComputeIslandStatus();
    status.setNodes(members.size());
    status.setReadyNodes(usable.size());
    status.setAllocatableGpus(gpus);
    status.setObservedGeneration(generation);
    status.setConditions(
        List.of(
            Conditions.next(
                previous,
                ConditionType.READY,
                ready ? ConditionType.TRUE : ConditionType.FALSE,
                ready ? "NodesAvailable" : members.isEmpty() ? "NoMatchingNodes" : "NoUsableNodes",
                ready
                    ? usable.size() + " usable nodes, " + gpus + " GPUs"
                    : members.isEmpty()
                        ? "no node matches spec.nodeSelector"
                        : members.size()
                            + " nodes match but none is Ready, schedulable and tolerated with GPUs",
                generation,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())));
    if (status.equals(island.getStatus())) {
      return UpdateControl.noUpdate();
    }
    ComputeIsland patch = new ComputeIsland();
    patch.setMetadata(new ObjectMetaBuilder().withName(island.getMetadata().getName()).build());
    patch.setStatus(status);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(island, patch, context);
    return UpdateControl.noUpdate();
  }
}
