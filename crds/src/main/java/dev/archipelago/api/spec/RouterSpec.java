package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * The router: a classifier from a noisy image and noise level to the expert whose cluster it came
 * from. It trains on every cluster's shards, in parallel with the experts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouterSpec {

  @Default("tiny")
  @JsonPropertyDescription("DiT size of the router's backbone: tiny (default), S, B, L or XL.")
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

  @Override
  public boolean equals(Object o) {
    return o instanceof RouterSpec that
        && Objects.equals(preset, that.preset)
        && Objects.equals(steps, that.steps)
        && Objects.equals(batchSize, that.batchSize);
  }

  @Override
  public int hashCode() {
    return Objects.hash(preset, steps, batchSize);
  }
}
