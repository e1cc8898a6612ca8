package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Optimisation settings shared by every expert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.warmupSteps < self.steps",
    fieldPath = ".warmupSteps",
    message = "spec.training.warmupSteps must be < spec.training.steps")
public class TrainingSpec {

  @Default("100000")
  @Min(1)
  @Max(1_000_000_000)
  @JsonPropertyDescription("Optimiser steps per expert. Default 100000.")
  private Long steps = 100_000L;

  @Default("64")
  @Min(1)
  @Max(65536)
  @JsonPropertyDescription("Images per optimiser step, per expert. Default 64.")
  private Integer batchSize = 64;

  @Default("0.0001")
  @Min(value = 0, inclusive = false)
  @Max(1)
  @JsonPropertyDescription("Peak AdamW learning rate, > 0 and ≤ 1. Default 0.0001.")
  private Double learningRate = 0.0001;

  @Default("0")
  @Min(0)
  @Max(1000000)
  @JsonPropertyDescription(
      "Steps of linear learning-rate warm-up; fewer than steps. Default 0 (none).")
  private Long warmupSteps = 0L;

  @Default("0.0")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("AdamW decoupled weight decay, 0 to 1. Default 0.")
  private Double weightDecay = 0.0;

  @Default("0.9999")
  @Min(0)
  @Max(value = 1, inclusive = false)
  @JsonPropertyDescription(
      "Decay of the exponential moving average of weights that is saved for sampling, reached"
          + " after a warm-up: update n uses min(ema, (1 + n) / (10 + n)), so short runs average"
          + " their last tenth or so and long runs settle at this value; 0 disables the average."
          + " Default 0.9999.")
  private Double ema = 0.9999;

  @Default("1000")
  @Min(1)
  @JsonPropertyDescription(
      "Steps between checkpoints (a final one is always written; values above steps mean only"
          + " that one). A retried or preempted expert resumes from its latest. Default 1000.")
  private Long checkpointEvery = 1000L;

  @Default("3")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Checkpoints kept per expert; older ones are deleted. Default 3.")
  private Integer keepCheckpoints = 3;

  @Default("fp32")
  @JsonPropertyDescription(
      "Arithmetic of the forward and backward passes: fp32 (default) or fp16 (working copies in"
          + " fp16 with dynamic loss scaling; master weights, optimizer and EMA stay fp32; for GPUs"
          + " with fast fp16). bf16 is not offered: the trainer's engine cannot create bf16 tensors.")
  private Precision precision = Precision.FP32;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription(
      "Base seed for initialisation, data order and noise; expert k uses seed + k. Default 0.")
  private Long seed = 0L;

  public Long getSteps() {
    return steps;
  }

  public void setSteps(Long steps) {
    this.steps = steps;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Double getLearningRate() {
    return learningRate;
  }

  public void setLearningRate(Double learningRate) {
    this.learningRate = learningRate;
  }

  public Long getWarmupSteps() {
    return warmupSteps;
  }

  public void setWarmupSteps(Long warmupSteps) {
    this.warmupSteps = warmupSteps;
  }

  public Double getWeightDecay() {
    return weightDecay;
  }

  public void setWeightDecay(Double weightDecay) {
    this.weightDecay = weightDecay;
  }

  public Double getEma() {
    return ema;
  }

  public void setEma(Double ema) {
    this.ema = ema;
  }

  public Long getCheckpointEvery() {
    return checkpointEvery;
  }

  public void setCheckpointEvery(Long checkpointEvery) {
    this.checkpointEvery = checkpointEvery;
  }

  public Integer getKeepCheckpoints() {
    return keepCheckpoints;
  }

  public void setKeepCheckpoints(Integer keepCheckpoints) {
    this.keepCheckpoints = keepCheckpoints;
  }

  public Precision getPrecision() {
    return precision;
  }

  public void setPrecision(Precision precision) {
    this.precision = precision;
  }

  public Long getSeed() {
    return seed;
  }

  public void setSeed(Long seed) {
    this.seed = seed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingSpec that
        && Objects.equals(steps, that.steps)
        && Objects.equals(batchSize, that.batchSize)
        && Objects.equals(learningRate, that.learningRate)
        && Objects.equals(warmupSteps, that.warmupSteps)
        && Objects.equals(weightDecay, that.weightDecay)
        && Objects.equals(ema, that.ema)
        && Objects.equals(checkpointEvery, that.checkpointEvery)
        && Objects.equals(keepCheckpoints, that.keepCheckpoints)
        && Objects.equals(precision, that.precision)
        && Objects.equals(seed, that.seed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        steps,
        batchSize,
        learningRate,
        warmupSteps,
        weightDecay,
        ema,
        checkpointEvery,
        keepCheckpoints,
        precision,
        seed);
  }
}
