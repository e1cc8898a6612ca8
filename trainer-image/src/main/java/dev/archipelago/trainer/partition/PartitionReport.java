package dev.archipelago.trainer.partition;

import java.util.List;
import java.util.Map;

/** Content of {@code partition/report.json}: for humans, nobody parses it. */
public record PartitionReport(
    String method,
    String features,
    int experts,
    int fineClusters,
    long samples,
    long skippedSamples,
    Map<String, Long> skippedByReason,
    List<Long> clusterSizes,
    List<Long> clusterBytes,
    Double fineInertia,
    double featureSeconds,
    double clusteringSeconds,
    double reshardSeconds,
    long seed) {}
