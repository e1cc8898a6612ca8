package dev.archipelago.trainer.partition;

import java.util.List;
import java.util.Map;

/**
 * The features of a run of consecutive source shards, as stored in the object store: the rows
 * (float32, row after row) in {@code chunk-<n>.f32}, and this record, written last, in {@code
 * chunk-<n>.json}. A chunk is reused only if its fingerprint (data set, image format, extractor)
 * and its shards are those of the current attempt.
 *
 * @param fingerprint what the features were computed from
 * @param shards the source shards it covers, in scan order
 * @param rows how many feature rows (decoded samples)
 * @param shardOfRow index into {@code shards} of each row
 * @param keyOfRow sample key of each row
 * @param skippedByReason samples of these shards the scan skipped, by reason
 */
record FeatureChunk(
    String fingerprint,
    List<String> shards,
    int rows,
    int[] shardOfRow,
    List<String> keyOfRow,
    Map<String, Long> skippedByReason) {}
