package dev.archipelago.trainer.partition;

/**
 * Content of {@code partition/centroids} (JSON): how features were made and standardised, the fine
 * centroids with the cluster each joined, and the K cluster centroids, all in standardised feature
 * space. Routing a new image by features means: extract, standardise, nearest fine centroid, its
 * cluster.
 */
public record Centroids(
    String features,
    int dimension,
    float[] featureMean,
    float[] featureStd,
    float[][] fine,
    int[] fineToCluster,
    long[] fineCounts,
    float[][] clusters) {}
