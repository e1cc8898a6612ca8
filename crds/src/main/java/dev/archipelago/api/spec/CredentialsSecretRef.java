package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The Secret that holds the S3 access key. Only its name and keys are ever copied: the values go
 * from the Secret straight into pod env vars, never into status, logs or ConfigMaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef {
  private static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  @Required
  @Size(max = 253)
  @Pattern(NamePatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("Name of a Secret in the DDMRun's namespace.")
  private String name;

  @Default("AWS_ACCESS_KEY_ID")
  @Size(max = 253)
  @Pattern(SECRET_KEY)
  @JsonPropertyDescription("Key of the access key id in the Secret. Default AWS_ACCESS_KEY_ID.")
  private String accessKeyIdKey = "AWS_ACCESS_KEY_ID";

  @Default("AWS_SECRET_ACCESS_KEY")
  @Size(max = 253)
  @Pattern(SECRET_KEY)
  @JsonPropertyDescription(
      "Key of the secret access key in the Secret. Default AWS_SECRET_ACCESS_KEY.")
  private String secretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";

  public CredentialsSecretRef() {}

  public CredentialsSecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAccessKeyIdKey() {
    return accessKeyIdKey;
  }

  public void setAccessKeyIdKey(String accessKeyIdKey) {
    this.accessKeyIdKey = accessKeyIdKey;
  }

  public String getSecretAccessKeyKey() {
    return secretAccessKeyKey;
  }

  public void setSecretAccessKeyKey(String secretAccessKeyKey) {
    this.secretAccessKeyKey = secretAccessKeyKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialsSecretRef that
        && Objects.equals(name, that.name)
        && Objects.equals(accessKeyIdKey, that.accessKeyIdKey)
        && Objects.equals(secretAccessKeyKey, that.secretAccessKeyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, accessKeyIdKey, secretAccessKeyKey);
  }
}
