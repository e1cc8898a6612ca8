package dev.archipelago.trainer.gmm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.PodEnv;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.cli.CliRun;
import dev.archipelago.trainer.job.SyntheticDataset;
import dev.archipelago.trainer.job.TestRun;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.DjlRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.storage.EmbeddedS3;
import dev.archipelago.trainer.storage.S3Buckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained arm of the ground truth: a real two-expert run on {@code synthetic://gmm} latents
 * (partition by k-means on the tensors, both experts and the router trained by the trainer, EMA
 * weights loaded as serving loads them), measured against the mixture's closed-form optimum on an
 * Euler sampler's grid. The k-means clusters are the components, so the experts match them one to
 * one; the trained router beats a router that ignores x_t, and each expert's velocity beats
 * predicting zero on its component. {@code archipelago ground-truth} prints the same table.
 */
class GroundTruthIT {
  private static final int STEPS = 10;

  @Test
  void aTrainedGmmEnsembleIsMeasuredAgainstTheOptimum(@TempDir Path scratch) throws Exception {
    try (EmbeddedS3 s3 = new EmbeddedS3()) {
      s3.createBucket(TestRun.BUCKET);
      RunConfig config =
          TestRun.small()
              .uid("gmm")
              .dataset(
                  "synthetic://gmm?components=2&separation=3&samples=2048&shardSize=512&seed=4", 8)
              .latents(1, 4)
              .experts(2, 16)
              .modelLayout(2, 64, 4)
              .training(400, 64, 2e-3, 0.999)
              .checkpoints(200, 1)
              .routerLayout(1, 32, 2)
              .router(400, 64)
              .config(s3);
      try (S3Buckets buckets = new S3Buckets(s3.settings())) {
        TestRun.trainEveryTask(config, buckets, scratch);
        GaussianMixture mixture = SyntheticDataset.mixtureOf(config);
        try (NDManager manager = NDManager.newBaseManager()) {
          ModelLoader loader =
              new ModelLoader(config, buckets.forBucket(TestRun.BUCKET), scratch, manager);
          List<DjlExpert> experts = new ArrayList<>();
          for (int k = 0; k < 2; k++) {
            experts.add(loader.expert(k, null).model());
          }
          DjlRouter router = loader.router(null).model();
          GroundTruthReport report = new GroundTruthReport(mixture, new ImageShape(1, 4));
          int[] match = report.matchExperts(experts, 1000, 1);
          assertThat(match).containsExactlyInAnyOrder(0, 1);
          List<GroundTruthReport.AtTime> times =
              report.measure(router, experts, match, STEPS, 2000, 2);
          System.out.print(GroundTruthReport.table(times));
          GroundTruthReport.AtTime middle = times.get(STEPS / 2);
          assertThat(middle.routerExcessKl())
              .as("the trained router beats one that ignores x_t at t = %s", middle.t())
              .isLessThan(middle.priorExcessKl() / 2);
          for (GroundTruthReport.AtTime at : times) {
            for (double error : at.expertVelocityError()) {
              assertThat(error).as("relative velocity error at t = %s", at.t()).isLessThan(0.5);
            }
          }
        }

        // The same measurement through the command line, as a user runs it.
        Path runConfig = scratch.resolve("run-config.json");
        Files.writeString(runConfig, config.toJson());
        Map<String, String> env = new HashMap<>(s3.credentials());
        env.put(PodEnv.SCRATCH_DIR, scratch.toString());
        CliRun measured =
            CliRun.of(
                env,
                "ground-truth",
                "--config",
                runConfig.toString(),
                "--steps",
                "4",
                "--draws",
                "500");
        assertThat(measured.code()).as(measured.out()).isZero();
        assertThat(measured.out()).contains("expert -> component").contains("| 0.250 |");
      }
    }
  }
}
