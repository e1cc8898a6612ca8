package dev.archipelago.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.gmm.GaussianMixture;
import dev.archipelago.trainer.gmm.GroundTruthReport;
import dev.archipelago.trainer.job.BadConfigException;
import dev.archipelago.trainer.job.SyntheticDataset;
import dev.archipelago.trainer.serve.DjlExpert;
import dev.archipelago.trainer.serve.DjlRouter;
import dev.archipelago.trainer.serve.ImageShape;
import dev.archipelago.trainer.serve.ModelLoader;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archipelago ground-truth}: a synthetic://gmm run's models against the closed forms. */
@Command(
    name = "ground-truth",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a trained synthetic://gmm run against the mixture's closed-form optimum, at the"
          + " times an Euler sampler of --steps steps evaluates: the router's excess KL over the"
          + " optimal posterior (and the prior's), its accuracy (and the Bayes ceiling), and each"
          + " expert's relative velocity error on its component. Loads the EMA weights of each"
          + " model's latest checkpoint from the run's storage; prints a markdown table."
    })
final class GroundTruthCommand extends EnvironmentCommand {
  private static final Logger LOG = LoggerFactory.getLogger(GroundTruthCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RunConfigOption runConfig;

  @Option(
      names = "--steps",
      defaultValue = "50",
      description = "Euler steps whose times are measured (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--draws",
      defaultValue = "2000",
      description = "Draws of the mixture per time (default: ${DEFAULT-VALUE}).")
  int draws;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the draws.")
  long seed;

  @Override
  public Integer call() throws Exception {
    RunConfig run;
    GaussianMixture mixture;
    try {
      run = RunConfigFile.read(runConfig.config, env());
      mixture = SyntheticDataset.mixtureOf(run);
      if (steps < 1 || draws < 1) {
        throw new IllegalArgumentException("--steps and --draws must be at least 1");
      }
    } catch (BadConfigException | IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    try (S3Buckets buckets = new S3Buckets(S3Settings.forRun(run.storage(), env()));
        NDManager manager = NDManager.newBaseManager()) {
      ModelLoader loader =
          new ModelLoader(
              run,
              buckets.forBucket(run.storage().bucket()),
              TaskExecution.scratch(env()),
              manager);
      List<DjlExpert> experts = new ArrayList<>();
      for (int k = 0; k < run.experts(); k++) {
        experts.add(loader.expert(k, null).model());
      }
      DjlRouter router = loader.router(null).model();
      ImageShape shape =
          new ImageShape(
              run.dataset().getLatents().getChannels(), run.dataset().getLatents().getSize());
      GroundTruthReport report = new GroundTruthReport(mixture, shape);
      int[] match = report.matchExperts(experts, draws, seed);
      spec.commandLine().getOut().printf("expert -> component: %s%n", Arrays.toString(match));
      spec.commandLine()
          .getOut()
          .print(
              GroundTruthReport.table(report.measure(router, experts, match, steps, draws, seed)));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
