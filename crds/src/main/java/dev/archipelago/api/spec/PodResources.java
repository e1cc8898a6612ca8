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
  /**
   * Rules, on a field of this type, that cpu and memory are quantities the API server accepts in a
   * container's resources, above zero: "4GB", "16 GiB" or "-4Gi" is refused at admission rather
   * than by the Job or the serving Deployment days later.
   */
  static final String CPU_IS_A_QUANTITY =
      "type(self.cpu) == int ? self.cpu > 0 : isQuantity(string(self.cpu))"
          + " && quantity(string(self.cpu)).isGreaterThan(quantity('0'))";

  static final String MEMORY_IS_A_QUANTITY =
      "type(self.memory) == int ? self.memory > 0 : isQuantity(string(self.memory))"
          + " && quantity(string(self.memory)).isGreaterThan(quantity('0'))";

  static final String QUANTITY_EXAMPLES = " must be a positive Kubernetes quantity, such as ";

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
