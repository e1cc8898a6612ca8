package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * How each serving process batches model evaluations across requests: every forward pass takes the
 * waiting images of all requests that need the same model, whatever step each is at.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServingBatching {
  @Default("32")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("The most images one forward pass of a model takes. Default 32.")
  private Integer maxBatch = 32;

  @Default("2")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription(
      "Milliseconds the oldest waiting image may wait for others to fill its pass. Default 2.")
  private Integer maxWaitMilliseconds = 2;

  public Integer getMaxBatch() {
    return maxBatch;
  }

  public void setMaxBatch(Integer maxBatch) {
    this.maxBatch = maxBatch;
  }

  public Integer getMaxWaitMilliseconds() {
    return maxWaitMilliseconds;
  }

  public void setMaxWaitMilliseconds(Integer maxWaitMilliseconds) {
    this.maxWaitMilliseconds = maxWaitMilliseconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServingBatching that
        && Objects.equals(maxBatch, that.maxBatch)
        && Objects.equals(maxWaitMilliseconds, that.maxWaitMilliseconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxBatch, maxWaitMilliseconds);
  }
}
