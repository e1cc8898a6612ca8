package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Objects;

/** What one pod requests (requests equal limits, so that pods are Guaranteed). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodResources {

  @Default("1")
  @Min(0)
  @Max(16)
  @JsonPropertyDescription(
      "GPUs per pod, of the island's gpu.resourceName; at most the island's gpu.perNode."
          + " Default 1.")
  private Integer gpus = 1;

  @Default("4")
  @JsonPropertyDescription("CPU per pod, as a Kubernetes quantity. Default 4.")
  private Quantity cpu = new Quantity("4");

  @Default("16Gi")
  @JsonPropertyDescription("Memory per pod, as a Kubernetes quantity. Default 16Gi.")
  private Quantity memory = new Quantity("16Gi");

  public Integer getGpus() {
    return gpus;
  }

  public void setGpus(Integer gpus) {
    this.gpus = gpus;
  }

  public Quantity getCpu() {
    return cpu;
  }

  public void setCpu(Quantity cpu) {
    this.cpu = cpu;
  }

  public Quantity getMemory() {
    return memory;
  }

  public void setMemory(Quantity memory) {
    this.memory = memory;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodResources that
        && Objects.equals(gpus, that.gpus)
        && Objects.equals(cpu, that.cpu)
        && Objects.equals(memory, that.memory);
  }

  @Override
  public int hashCode() {
    return Objects.hash(gpus, cpu, memory);
  }
}
