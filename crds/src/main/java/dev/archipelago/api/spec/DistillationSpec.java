package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Distillation of the trained ensemble into one dense student (the paper's last stage): after every
 * expert and the router, the student regresses onto the ensemble's velocity, combined by {@code
 * strategy}, at noised training samples. Serving it ({@code spec.inference.model: student}) needs
 * no router and one model evaluation per step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.depth) == has(self.width) && has(self.width) == has(self.heads)",
    message =
        "spec.distillation.depth, spec.distillation.width and spec.distillation.heads must be set"
            + " together")
@ValidationRule(
    value = "!has(self.width) || !has(self.heads) || self.width % self.heads == 0",
    fieldPath = ".heads",
    message = "spec.distillation.heads must divide spec.distillation.width")
@ValidationRule(
    value = "!has(self.preset) || !has(self.depth)",
    fieldPath = ".preset",
    message =
        "spec.distillation.preset and an explicit layout (depth, width, heads) exclude each other")
@ValidationRule(
    value = "!has(self.warmupSteps) || self.warmupSteps < self.steps",
    fieldPath = ".warmupSteps",
    message = "spec.distillation.warmupSteps must be less than spec.distillation.steps")
@ValidationRule(
    value = "self.strategy != 'topk' || has(self.topK)",
    fieldPath = ".topK",
    message = "spec.distillation.topK is required when spec.distillation.strategy is topk")
@ValidationRule(
    value = "!has(self.topK) || self.strategy == 'topk'",
    fieldPath = ".topK",
    message = "spec.distillation.topK is only allowed when spec.distillation.strategy is topk")
public class DistillationSpec {

  @Default("false")
  @JsonPropertyDescription(
      "Distil the ensemble into one student after the experts and the router. Default false.")
  private Boolean enabled = false;

  @Default("top1")
  @JsonPropertyDescription(
      "How the teacher combines its experts: top1 (default, the paper's), topk, full or sample,"
          + " as spec.inference.strategy.")
  private InferenceStrategy strategy = InferenceStrategy.TOP1;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "Experts the teacher combines; required for, and only allowed with, strategy topk.")
  private Integer topK;

  @JsonPropertyDescription(
      "DiT size of the student: tiny, S, B, L or XL. Default: the experts' (spec.model); depth,"
          + " width and heads instead give an explicit layout.")
  private ModelPreset preset;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Transformer blocks, for an explicit student layout.")
  private Integer depth;

  @Min(32)
  @Max(4096)
  @JsonPropertyDescription("Hidden width, for an explicit student layout.")
  private Integer width;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Attention heads, for an explicit student layout; must divide width.")
  private Integer heads;

  @Default("20000")
  @Min(1)
  @Max(1_000_000_000)
  @JsonPropertyDescription("Optimiser steps of the student. Default 20000.")
  private Long steps = 20_000L;

  @Min(1)
  @Max(65536)
  @JsonPropertyDescription("Images per student step. Default spec.training.batchSize.")
  private Integer batchSize;

  @Min(value = 0, inclusive = false)
  @Max(1)
  @JsonPropertyDescription("Peak learning rate of the student. Default spec.training.learningRate.")
  private Double learningRate;

  @Min(0)
  @Max(1000000)
  @JsonPropertyDescription(
      "Steps of linear learning-rate warm-up, fewer than steps. Default spec.training.warmupSteps.")
  private Long warmupSteps;

  @Min(0)
  @Max(value = 1, inclusive = false)
  @JsonPropertyDescription(
      "EMA decay of the student's served weights (with the experts' warm-up). Default"
          + " spec.training.ema.")
  private Double ema;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the run distils: {@code enabled} is true. */
  public boolean distils() {
    return Boolean.TRUE.equals(enabled);
  }

  public InferenceStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(InferenceStrategy strategy) {
    this.strategy = strategy;
  }

  public Integer getTopK() {
    return topK;
  }

  public void setTopK(Integer topK) {
    this.topK = topK;
  }

  public ModelPreset getPreset() {
    return preset;
  }

  public void setPreset(ModelPreset preset) {
    this.preset = preset;
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

  public Double getEma() {
    return ema;
  }

  public void setEma(Double ema) {
    this.ema = ema;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistillationSpec that
        && Objects.equals(enabled, that.enabled)
        && Objects.equals(strategy, that.strategy)
        && Objects.equals(topK, that.topK)
        && Objects.equals(preset, that.preset)
        && Objects.equals(depth, that.depth)
        && Objects.equals(width, that.width)
        && Objects.equals(heads, that.heads)
        && Objects.equals(steps, that.steps)
        && Objects.equals(batchSize, that.batchSize)
        && Objects.equals(learningRate, that.learningRate)
        && Objects.equals(warmupSteps, that.warmupSteps)
        && Objects.equals(ema, that.ema);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled,
        strategy,
        topK,
        preset,
        depth,
        width,
        heads,
        steps,
        batchSize,
        learningRate,
        warmupSteps,
        ema);
  }
}
