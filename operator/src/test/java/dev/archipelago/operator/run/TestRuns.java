package dev.archipelago.operator.run;

import dev.archipelago.api.ComputeIsland;
import dev.archipelago.api.DDMRun;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** Small builders for planner and policy tests: runs and islands as a user would write them. */
public final class TestRuns {
  private TestRuns() {}

  public static DDMRun run(int experts, List<String> islands, String extraSpec) {
    StringBuilder list = new StringBuilder();
    islands.forEach(i -> list.append("    - ").append(i).append('\n'));
    DDMRun run =
        Serialization.unmarshal(
            "apiVersion: archipelago.dev/v1alpha1\n"
                + "kind: DDMRun\n"
                + "metadata: {name: r, namespace: ns, uid: 0000-1111, generation: 1}\n"
                + "spec:\n"
                + "  dataset: {uri: 'synthetic://shapes', imageSize: 32, channels: 3}\n"
                + "  partitioning: {experts: "
                + experts
                + "}\n"
                + "  model: {preset: tiny}\n"
                + "  islands:\n"
                + list
                + "  storage: {endpoint: 'http://10.0.0.7:9000', bucket: runs, credentialsSecretRef: {name: s3}}\n"
                + extraSpec,
            DDMRun.class);
    return run;
  }

  public static ComputeIsland island(String name, Integer maxConcurrentExperts) {
    return Serialization.unmarshal(
        "apiVersion: archipelago.dev/v1alpha1\n"
            + "kind: ComputeIsland\n"
            + "metadata: {name: "
            + name
            + "}\n"
            + "spec:\n"
            + "  nodeSelector: {pool: "
            + name
            + "}\n"
            + (maxConcurrentExperts == null
                ? ""
                : "  maxConcurrentExperts: " + maxConcurrentExperts + "\n"),
        ComputeIsland.class);
  }

  /** A copy of the Job as the Job controller reports it when it ended. */
  public static Job ended(Job job, String type, String reason, String message) {
    Job copy = Serialization.clone(job);
    copy.setStatus(
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage(message)
                    .build())
            .build());
    return copy;
  }
}
