package dev.archipelago.testcluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Installs CRDs the way a user does (server-side apply) and waits until they serve. */
public final class CustomResourceDefinitions {
  private CustomResourceDefinitions() {}

  /** Applies the CRD read from {@code yaml} and waits for its Established condition. */
  public static CustomResourceDefinition install(KubernetesClient client, InputStream yaml) {
    try (InputStream in = yaml) {
      if (in == null) {
        throw new IllegalArgumentException("CRD YAML not found");
      }
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      var crds = client.apiextensions().v1().customResourceDefinitions();
      crds.resource(crd).forceConflicts().serverSideApply();
      return crds.withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              30,
              TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
