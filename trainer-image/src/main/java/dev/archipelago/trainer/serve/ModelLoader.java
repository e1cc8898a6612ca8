package dev.archipelago.trainer.serve;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.checkpoint.CheckpointContent;
import dev.archipelago.trainer.checkpoint.CheckpointLocation;
import dev.archipelago.trainer.checkpoint.CheckpointStore;
import dev.archipelago.trainer.checkpoint.ConfigHashMismatchException;
import dev.archipelago.trainer.checkpoint.RestoredCheckpoint;
import dev.archipelago.trainer.job.ModelConfigs;
import dev.archipelago.trainer.storage.ObjectStore;
import dev.archipelago.trainer.train.ComputePrecision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the EMA weights the server samples with from the run's checkpoints: each model's {@code
 * latest} (falling back to older intact ones, as trainers do) or a pinned step. Weights of another
 * run config are refused.
 */
public final class ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

  /** A loaded model and the checkpoint step its weights come from. */
  public record Loaded<T>(T model, long step) {}

  private final RunConfig config;
  private final ObjectStore store;
  private final Path scratch;
  private final NDManager manager;
  private final ComputePrecision precision;

  /** Loads models in fp32. */
  public ModelLoader(RunConfig config, ObjectStore store, Path scratch, NDManager manager) {
    this(config, store, scratch, manager, ComputePrecision.FP32);
  }

  /**
   * @param precision the type experts hold their weights and run their passes in; the router stays
   *     fp32 (it is small, and fp16 rounding of near-tied logits would flip top-1 choices)
   */
  public ModelLoader(
      RunConfig config,
      ObjectStore store,
      Path scratch,
      NDManager manager,
      ComputePrecision precision) {
    this.config = config;
    this.store = store;
    this.scratch = scratch;
    this.manager = manager;
    this.precision = precision;
  }

  /** Expert {@code k}'s EMA weights; {@code pinnedStep} null means latest. */
  public Loaded<DjlExpert> expert(int k, Long pinnedStep) throws IOException {
    DjlExpert expert = new DjlExpert(ModelConfigs.expert(config), manager, precision.dataType());
    CheckpointLocation location = CheckpointLocation.forExpert(config.layout(), k);
    long step = restore("expert " + k, location, expert.weights(), pinnedStep);
    return new Loaded<>(expert, step);
  }

  /** The router's EMA weights; {@code pinnedStep} null means latest. */
  public Loaded<DjlRouter> router(Long pinnedStep) throws IOException {
    DjlRouter router = new DjlRouter(ModelConfigs.router(config), config.experts(), manager);
    CheckpointLocation location = CheckpointLocation.forRouter(config.layout());
    long step = restore("the router", location, router.weights(), pinnedStep);
    return new Loaded<>(router, step);
  }

  /** The distilled student's EMA weights; {@code pinnedStep} null means latest. */
  public Loaded<DjlExpert> student(Long pinnedStep) throws IOException {
    DjlExpert student = new DjlExpert(ModelConfigs.student(config), manager, precision.dataType());
    CheckpointLocation location = CheckpointLocation.forStudent(config.layout());
    long step = restore("the student", location, student.weights(), pinnedStep);
    return new Loaded<>(student, step);
  }

  private long restore(
      String what, CheckpointLocation location, CheckpointContent content, Long pinnedStep)
      throws IOException {
    CheckpointStore checkpoints =
        new CheckpointStore(store, location, scratch, config.hash(), 1, Clock.systemUTC());
    RestoredCheckpoint restored;
    if (pinnedStep != null) {
      restored = checkpoints.restoreStep(pinnedStep, content);
    } else {
      Optional<RestoredCheckpoint> latest;
      try {
        latest = checkpoints.restoreLatest(content);
      } catch (ConfigHashMismatchException e) {
        throw new IOException(what + ": " + e.getMessage(), e);
      }
      restored =
          latest.orElseThrow(
              () ->
                  new IOException(
                      what
                          + " has no intact checkpoint under "
                          + location.root()
                          + " (has it trained?)"));
    }
    LOG.info("{}: EMA weights of step {} from {}", what, restored.step(), restored.directory());
    return restored.step();
  }
}
