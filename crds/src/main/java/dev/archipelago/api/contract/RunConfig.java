package dev.archipelago.api.contract;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.archipelago.api.DDMRun;
import dev.archipelago.api.spec.DDMRunSpec;
import dev.archipelago.api.spec.DatasetSpec;
import dev.archipelago.api.spec.DistillationSpec;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.ModelSpec;
import dev.archipelago.api.spec.PartitioningSpec;
import dev.archipelago.api.spec.RouterSpec;
import dev.archipelago.api.spec.ServedModel;
import dev.archipelago.api.spec.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The run config every pod of a run reads from {@link PodEnv#RUN_CONFIG_PATH}: one JSON document
 * per run, kept in a ConfigMap under {@link PodEnv#CONFIG_MAP_KEY}. It holds no credentials. What
 * differs per pod (role, expert, attempt) is a {@link Task} in the pod's environment instead, so
 * that a retry of one expert changes nothing the others read.
 *
 * <p>The spec sections are the DDMRun's, after API-server defaulting; treat them as read-only.
 */
@JsonPropertyOrder(alphabetic = true)
public record RunConfig(
    int schemaVersion,
    String runName,
    String namespace,
    String uid,
    int experts,
    DatasetSpec dataset,
    PartitioningSpec partitioning,
    ModelSpec model,
    TrainingSpec training,
    RouterSpec router,
    DistillationSpec distillation,
    InferenceSpec inference,
    StorageLocation storage) {

  /** Bumped on incompatible changes; a trainer exits with BAD_CONFIG on one it does not know. */
  public static final int SCHEMA_VERSION = 1;

  private static final int HASH_HEX_CHARS = 16;

  public RunConfig {
    Objects.requireNonNull(runName, "runName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(partitioning, "partitioning");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(storage, "storage");
    // A config written before distillation existed has none: the run does not distil.
    distillation = distillation == null ? new DistillationSpec() : distillation;
    if (!Objects.equals(partitioning.getExperts(), experts)) {
      throw new IllegalArgumentException(
          "experts ("
              + experts
              + ") differs from partitioning.experts ("
              + partitioning.getExperts()
              + ")");
    }
  }

  /** The config of a run as the API server returned it (so with defaults applied). */
  public static RunConfig forRun(DDMRun run) {
    DDMRunSpec spec = run.getSpec();
    String namespace = run.getMetadata().getNamespace();
    String name = run.getMetadata().getName();
    String uid = run.getMetadata().getUid();
    return new RunConfig(
        SCHEMA_VERSION,
        name,
        namespace,
        uid,
        spec.getPartitioning().getExperts(),
        spec.getDataset(),
        spec.getPartitioning(),
        spec.getModel(),
        spec.getTraining(),
        spec.getRouter(),
        spec.getDistillation(),
        spec.getInference(),
        StorageLocation.of(spec.getStorage(), namespace, name, uid));
  }

  /**
   * A short fingerprint of what the experts' weights depend on and what the API keeps immutable:
   * dataset, partitioning and model. Trainers stamp it into checkpoints and refuse to resume from
   * one with another hash. Training settings are left out on purpose, so that for example raising
   * {@code training.steps} lets experts continue.
   */
  public String hash() {
    byte[] canonical =
        ContractJson.write(new ImmutableInputs(schemaVersion, dataset, partitioning, model))
            .getBytes(StandardCharsets.UTF_8);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The same config serving {@code servedModel} instead of what spec.inference.model says (to serve
   * or evaluate the student of a run that serves its ensemble, or the other way round).
   */
  public RunConfig serving(ServedModel servedModel) {
    InferenceSpec served =
        ContractJson.read(
            ContractJson.write(inference == null ? new InferenceSpec() : inference),
            InferenceSpec.class);
    served.setModel(servedModel);
    return new RunConfig(
        schemaVersion,
        runName,
        namespace,
        uid,
        experts,
        dataset,
        partitioning,
        model,
        training,
        router,
        distillation,
        served,
        storage);
  }

  public String toJson() {
    return ContractJson.write(this);
  }

  public static RunConfig fromJson(String json) {
    return ContractJson.read(json, RunConfig.class);
  }

  public StorageLayout layout() {
    return storage.layout();
  }

  /** The part of the config that {@link #hash()} covers, serialised with sorted keys. */
  private record ImmutableInputs(
      int schemaVersion, DatasetSpec dataset, PartitioningSpec partitioning, ModelSpec model) {}
}
