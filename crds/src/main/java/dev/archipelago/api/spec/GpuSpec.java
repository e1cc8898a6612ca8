package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.archipelago.api.ArchipelagoApi;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** The GPUs of an island's nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GpuSpec {

  @Default(ArchipelagoApi.DEFAULT_GPU_RESOURCE)
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @JsonPropertyDescription(
      "Extended resource that pods request for GPUs, <domain>/<name>. Default nvidia.com/gpu.")
  private String resourceName = ArchipelagoApi.DEFAULT_GPU_RESOURCE;

  @Default("8")
  @Min(1)
  @Max(64)
  @JsonPropertyDescription(
      "GPUs on each node of the island; an expert never asks for more. Default 8.")
  private Integer perNode = 8;

  public String getResourceName() {
    return resourceName;
  }

  public void setResourceName(String resourceName) {
    this.resourceName = resourceName;
  }

  public Integer getPerNode() {
    return perNode;
  }

  public void setPerNode(Integer perNode) {
    this.perNode = perNode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GpuSpec that
        && Objects.equals(resourceName, that.resourceName)
        && Objects.equals(perNode, that.perNode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resourceName, perNode);
  }
}
