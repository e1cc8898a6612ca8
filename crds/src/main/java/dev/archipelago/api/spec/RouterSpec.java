package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The router: a classifier from a noisy image and noise level to the expert whose cluster it came
 * from. It trains on every cluster's shards, in parallel with the experts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.depth) == has(self.width) && has(self.width) == has(self.heads)",
    message = "spec.router.depth, spec.router.width and spec.router.heads must be set together")
@ValidationRule(
    value = "!has(self.width) || !has(self.heads) || self.width % self.heads == 0",
    fieldPath = ".heads",
    message = "spec.router.heads must divide spec.router.width")
@ValidationRule(
    value = "!has(self.warmupSteps) || self.warmupSteps < self.steps",
    fieldPath = ".warmupSteps",
    message = "spec.router.warmupSteps must be less than spec.router.steps")
public class RouterSpec {

  @Default("tiny")
  @JsonPropertyDescription(
      "DiT size of the router's backbone: tiny (default), S, B, L or XL; depth, width and"
          + " heads instead give an explicit layout.")
  private ModelPreset preset = ModelPreset.TINY;

  @Default("20000")
  @Min(1)
  @Max(1_000_000_000)
  @JsonPropertyDescription("Optimiser steps of the router. Default 20000.")
  private Long steps = 20_000L;

  @Default("256")
  @Min(1)
  @Max(65536)
  @JsonPropertyDescription("Images per router step. Default 256.")
  private Integer batchSize = 256;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "Transformer blocks, for an explicit router layout (with width and heads) instead of the"
          + " preset, e.g. smaller than the experts as the paper's DiT-B router beside DiT-XL"
          + " experts.")
  private Integer depth;

  @Min(32)
  @Max(4096)
  @JsonPropertyDescription("Hidden width, for an explicit router layout.")
  private Integer width;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Attention heads, for an explicit router layout; must divide width.")
  private Integer heads;

  @Min(1)
  @Max(8)
  @JsonPropertyDescription(
      "Patch side of the router's DiT; default spec.model.patchSize, so that the router sees the"
          + " same number of tokens as the experts (at most 4096).")
  private Integer patchSize;

  @Min(value = 0, inclusive = false)
  @Max(1)
  @JsonPropertyDescription("Peak learning rate of the router; default spec.training.learningRate.")
  private Double learningRate;

  @Min(0)
  @Max(1000000)
  @JsonPropertyDescription(
      "Steps of linear learning-rate warm-up of the router, fewer than steps; default"
          + " spec.training.warmupSteps.")
  private Long warmupSteps;

  @Min(0)
  @Max(value = 1, inclusive = false)
  @JsonPropertyDescription(
      "EMA decay of the router's served weights (with the same warm-up as the experts'); default"
          + " spec.training.ema.")
  private Double ema;

  @Default("uniform")
  @JsonPropertyDescription(
      "How the router's training draws t: uniform (default: it covers the sampler's whole grid,"
          + " t = 1 included) or logitNormal (the experts' distribution).")
  private RouterTimeSampling timeSampling = RouterTimeSampling.UNIFORM;

  public ModelPreset getPreset() {
    return preset;
  }

  public void setPreset(ModelPreset preset) {
    this.preset = preset;
  }

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

  public Integer getDepth() {
    return depth;
  }

  public void setDepth(Integer depth) {
    this.depth = depth;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeads() {
    return heads;
  }

  public void setHeads(Integer heads) {
    this.heads = heads;
  }

  public Integer getPatchSize() {
    return patchSize;
  }

  public void setPatchSize(Integer patchSize) {
    this.patchSize = patchSize;
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

  public Double getEma() {
    return ema;
  }

  public void setEma(Double ema) {
    this.ema = ema;
  }

  public RouterTimeSampling getTimeSampling() {
    return timeSampling;
  }

  public void setTimeSampling(RouterTimeSampling timeSampling) {
    this.timeSampling = timeSampling;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouterSpec that
        && Objects.equals(preset, that.preset)
        && Objects.equals(steps, that.steps)
        && Objects.equals(batchSize, that.batchSize)
        && Objects.equals(depth, that.depth)
        && Objects.equals(width, that.width)
        && Objects.equals(heads, that.heads)
        && Objects.equals(patchSize, that.patchSize)
        && Objects.equals(learningRate, that.learningRate)
        && Objects.equals(warmupSteps, that.warmupSteps)
        && Objects.equals(ema, that.ema)
        && Objects.equals(timeSampling, that.timeSampling);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        preset,
        steps,
        batchSize,
        depth,
        width,
        heads,
        patchSize,
        learningRate,
        warmupSteps,
        ema,
        timeSampling);
  }
}
