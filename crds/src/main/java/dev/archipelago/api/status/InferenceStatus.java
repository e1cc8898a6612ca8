package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The serving Deployments and Service, aggregated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceStatus {

  @JsonPropertyDescription("True when every serving Deployment has all its replicas ready.")
  private Boolean ready;

  @JsonPropertyDescription("Serving Deployments: 1 colocated, or router plus one per expert.")
  private Integer deployments;

  @JsonPropertyDescription("Serving Deployments whose replicas are all ready.")
  private Integer readyDeployments;

  @JsonPropertyDescription("Name of the Service that clients call.")
  private String serviceName;

  @JsonPropertyDescription("In-cluster URL of the Service.")
  private String endpoint;

  @JsonPropertyDescription("What is missing while not ready.")
  private String message;

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public Integer getDeployments() {
    return deployments;
  }

  public void setDeployments(Integer deployments) {
    this.deployments = deployments;
  }

  public Integer getReadyDeployments() {
    return readyDeployments;
  }

  public void setReadyDeployments(Integer readyDeployments) {
    this.readyDeployments = readyDeployments;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceStatus that
        && Objects.equals(ready, that.ready)
        && Objects.equals(deployments, that.deployments)
        && Objects.equals(readyDeployments, that.readyDeployments)
        && Objects.equals(serviceName, that.serviceName)
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ready, deployments, readyDeployments, serviceName, endpoint, message);
  }
}
