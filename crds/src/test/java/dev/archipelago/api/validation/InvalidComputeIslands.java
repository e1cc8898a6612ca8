package dev.archipelago.api.validation;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * ComputeIslands the API server must reject, each one change away from valid-computeisland.yaml.
 */
final class InvalidComputeIslands {
  private static final String BASE = "valid-computeisland.yaml";

  private InvalidComputeIslands() {}

  static List<InvalidManifest> all() {
    return List.of(
        invalid(
            "rejects an island without a node selector",
            m -> m.remove("/spec/nodeSelector"),
            "spec.nodeSelector",
            "Required value"),
        invalid(
            "rejects an island whose node selector selects every node",
            m -> m.set("/spec/nodeSelector", Map.of()),
            "spec.nodeSelector",
            "at least one label"),
        invalid(
            "rejects an island bucket whose name is not a bucket name",
            m -> m.set("/spec/storage", Map.of("bucket", "Near_Data")),
            "spec.storage.bucket",
            "should match"),
        invalid(
            "rejects island storage without a bucket",
            m -> m.set("/spec/storage", Map.of("region", "europe-west4")),
            "spec.storage.bucket",
            "Required value"),
        invalid(
            "rejects an island with zero GPUs per node",
            m -> m.set("/spec/gpu/perNode", 0),
            "spec.gpu.perNode",
            "greater than or equal to 1"),
        invalid(
            "rejects a GPU resource name without a domain",
            m -> m.set("/spec/gpu/resourceName", "gpu"),
            "spec.gpu.resourceName",
            "should match"),
        invalid(
            "rejects an island that admits no experts at all",
            m -> m.set("/spec/maxConcurrentExperts", 0),
            "spec.maxConcurrentExperts",
            "greater than or equal to 1"),
        invalid(
            "rejects a toleration with an unknown shape",
            m ->
                m.set(
                    "/spec/tolerations",
                    List.of(Map.of("key", "gpu", "tolerationSeconds", "soon"))),
            "spec.tolerations[0].tolerationSeconds",
            "must be of type integer"));
  }

  private static InvalidManifest invalid(
      String sentence, UnaryOperator<Manifest> edit, String field, String reason) {
    return new InvalidManifest(sentence, BASE, edit, field, reason);
  }
}
