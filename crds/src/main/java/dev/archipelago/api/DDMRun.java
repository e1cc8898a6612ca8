package dev.archipelago.api;

import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.status.DDMRunStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A decentralized diffusion training run, from partitioning to serving. */
@Group(ArchipelagoApi.GROUP)
@Version(ArchipelagoApi.VERSION)
@Kind(ArchipelagoApi.DDM_RUN_KIND)
@Plural(ArchipelagoApi.DDM_RUN_PLURAL)
@ShortNames(ArchipelagoApi.DDM_RUN_SHORT_NAME)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Experts",
    jsonPath = ".status.expertsSummary",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Experts succeeded / total")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "self.metadata.name.size() <= 63 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1035 label (at most 63 characters: lower-case letters,"
            + " digits and '-', starting with a letter): it becomes label values and Service"
            + " names of the run's children")
public class DDMRun extends CustomResource<DDMRunSpec, DDMRunStatus> implements Namespaced {}
