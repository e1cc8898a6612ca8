package dev.archipelago.api;

import dev.archipelago.api.spec.ComputeIslandSpec;
import dev.archipelago.api.status.ComputeIslandStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One GPU node pool that experts can be placed on; cluster-scoped, shared by all runs. */
@Group(ArchipelagoApi.GROUP)
@Version(ArchipelagoApi.VERSION)
@Kind(ArchipelagoApi.COMPUTE_ISLAND_KIND)
@Plural(ArchipelagoApi.COMPUTE_ISLAND_PLURAL)
@ShortNames(ArchipelagoApi.COMPUTE_ISLAND_SHORT_NAME)
@AdditionalPrinterColumn(
    name = "Nodes",
    jsonPath = ".status.nodes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready Nodes",
    jsonPath = ".status.readyNodes",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "GPUs",
    jsonPath = ".status.allocatableGpus",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Allocatable GPUs on ready nodes")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ComputeIsland extends CustomResource<ComputeIslandSpec, ComputeIslandStatus> {}
