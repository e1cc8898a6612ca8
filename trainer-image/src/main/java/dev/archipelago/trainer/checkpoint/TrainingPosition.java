package dev.archipelago.trainer.checkpoint;

import dev.archipelago.trainer.data.DataCursor;

/**
 * Where training stands, saved as {@code state.json} in every checkpoint. No random generator state
 * is saved because there is none to save: each step's noise, times and label dropout are a pure
 * function of (seed, step) ({@code StepNoise}) and the data order of (seed, epoch, shard) ({@code
 * ShuffledSampleStream}), so the step number and the data cursor restore them exactly.
 *
 * @param step completed optimiser steps
 * @param optimizerSteps the optimizer's own step count (its bias correction)
 * @param cursor position of the next sample in the data stream
 * @param skippedSamples unreadable samples skipped so far, carried across attempts for progress
 */
public record TrainingPosition(
    long step, long optimizerSteps, DataCursor cursor, long skippedSamples) {}
