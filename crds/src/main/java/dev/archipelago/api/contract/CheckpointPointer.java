package dev.archipelago.api.contract;

import java.time.Instant;

/**
 * Content of a {@code checkpoints/latest} object. A trainer uploads every file of a checkpoint
 * first and this pointer last, so a reader that follows it never sees a partial checkpoint.
 *
 * @param step optimiser step the checkpoint was taken after
 * @param prefix full key of the checkpoint directory ({@code .../checkpoints/step-<n>/})
 * @param configHash {@link RunConfig#hash()} of the run that wrote it; a resume with another hash
 *     is a bad config
 * @param attempt attempt that wrote it
 * @param writtenAt when the pointer was written
 */
public record CheckpointPointer(
    long step, String prefix, String configHash, int attempt, Instant writtenAt) {}
