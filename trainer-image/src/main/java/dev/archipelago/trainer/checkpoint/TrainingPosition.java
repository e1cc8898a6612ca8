package dev.archipelago.trainer.checkpoint;

import dev.archipelago.trainer.data.DataCursor;
import dev.archipelago.trainer.train.LossScaler;

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
 * @param lossScale the fp16 loss scaler's state; null when training does not scale the loss
 */
public record TrainingPosition(
    long step,
    long optimizerSteps,
    DataCursor cursor,
    long skippedSamples,
    LossScaler.State lossScale) {}
