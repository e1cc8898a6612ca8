package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * A reference to an object in the run's namespace by name. Our own type rather than fabric8's
 * LocalObjectReference, so that {@code kubectl explain} has a description for {@code name}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalObjectRef {

  @Required
  @Size(max = 253)
  @Pattern(NamePatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of the object in the DDMRun's namespace.")
  private String name;

  public LocalObjectRef() {}

  public LocalObjectRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalObjectRef that && Objects.equals(name, that.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
