package dev.archipelago.trainer.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.Sampler;
import dev.archipelago.trainer.eval.ClassifierFile;
import dev.archipelago.trainer.eval.ClassifierTraining;
import dev.archipelago.trainer.eval.GeneratedSamples;
import dev.archipelago.trainer.eval.InferenceCost;
import dev.archipelago.trainer.eval.QualityReport;
import dev.archipelago.trainer.eval.SampleQuality;
import dev.archipelago.trainer.job.BadConfigException;
import dev.archipelago.trainer.job.SyntheticDataset;
import dev.archipelago.trainer.local.ServeClient;
import dev.archipelago.trainer.serve.Routing;
import dev.archipelago.trainer.serve.ServeOptions;
import dev.archipelago.trainer.serve.Serving;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archipelago evaluate}: the quality and cost of what a shapes run generates. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate --count images of a synthetic://shapes run (from its checkpoints, served in this"
          + " process, or from a running server with --server) and measure them against real"
          + " images of its data set: Fréchet and kernel distances in the features of the shapes"
          + " classifier (--classifier; trained there first when missing), with bootstrap"
          + " intervals; the distance of each factor's distribution (shape, colour, size,"
          + " background) and the coverage of factor cells; copies of training images; and the"
          + " model FLOPs and wall time per image. Every metric is also given for as many real"
          + " images, never trained on: the noise floor.",
      "Prints a markdown table; --out also writes the report as JSON."
    })
final class EvaluateCommand extends EnvironmentCommand {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RunConfigOption runConfig;

  @Option(
      names = "--classifier",
      required = true,
      description = "The classifier's directory (archipelago train-classifier).")
  Path classifier;

  @Option(names = "--server", description = "A running server's base URL, instead of in-process.")
  URI server;

  @Option(names = "--count", defaultValue = "1000", description = "Images to generate.")
  int count;

  @Option(names = "--strategy", description = "top1, topk, full or sample (default: the run's).")
  String strategy;

  @Option(names = "--top-k", description = "Experts combined under topk (default: the run's).")
  Integer topK;

  @Option(names = "--expert", description = "Sample this expert alone (no router).")
  Integer expert;

  @Option(names = "--sampler", description = "euler or heun (default: the run's).")
  String sampler;

  @Option(names = "--steps", description = "Solver steps (default: the run's).")
  Integer steps;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the first request.")
  long seed;

  @Option(
      names = "--per-request",
      defaultValue = "16",
      description = "Images per generate request (the same value keeps noise paired).")
  int perRequest;

  @Option(
      names = "--bootstrap",
      defaultValue = "200",
      description = "Bootstrap resamples of each interval (0: none).")
  int resamples;

  @Option(
      names = "--memorisation-samples",
      defaultValue = "20000",
      description = "Training images the copy test searches, at most.")
  int memorisationSamples;

  @Option(
      names = "--model",
      description =
          "ensemble or student (the distilled one): what to sample (default: the run's"
              + " spec.inference.model).")
  String model;

  @Option(names = "--out", description = "Also write the report as JSON here.")
  Path out;

  @Override
  public Integer call() throws Exception {
    RunConfig run;
    SyntheticDataset data;
    GeneratedSamples.Settings sampling;
    InferenceCost cost;
    try {
      run = ServedModelOption.apply(RunConfigFile.read(runConfig.config, env()), model);
      data = shapesData(run);
      sampling = sampling(run.inference());
      cost =
          InferenceCost.of(
              run,
              expert == null ? routing(sampling) : null,
              expert,
              Sampler.valueOf(sampling.sampler().toUpperCase(Locale.ROOT)),
              sampling.steps());
      if (count < 2 || perRequest < 1 || resamples < 0 || memorisationSamples < 2) {
        throw new IllegalArgumentException(
            "--count and --memorisation-samples must be at least 2, --per-request at least 1"
                + " and --bootstrap not negative");
      }
    } catch (BadConfigException | IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    int imageSize = run.dataset().getImageSize();
    if (!ClassifierFile.exists(classifier)) {
      LOG.info("no classifier in {}; training one for {} px images", classifier, imageSize);
      TrainClassifierCommand.train(ClassifierTraining.defaults(imageSize), classifier);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      ClassifierTraining.Trained network = ClassifierFile.read(classifier, manager);
      if (network.settings().imageSize() != imageSize) {
        LOG.error(
            "--classifier {} judges {} px images; run {} makes {} px",
            classifier,
            network.settings().imageSize(),
            run.runName(),
            imageSize);
        return ExitCodes.BAD_CONFIG;
      }
      GeneratedSamples.Drawn drawn = draw(run, sampling, imageSize);
      SampleQuality quality =
          new SampleQuality(
              data.seed(), data.samples(), imageSize, memorisationSamples, resamples, seed);
      QualityReport report =
          new QualityReport(
              run.runName(),
              arm(sampling, run.inference().servesStudent()),
              count,
              network.accuracies(),
              data.samples(),
              quality.measure(drawn.images(), network, manager),
              cost,
              drawn.secondsPerImage());
      spec.commandLine().getOut().print(report.table());
      spec.commandLine().getOut().flush();
      if (out != null) {
        JsonMapper.builder()
            .build()
            .writerWithDefaultPrettyPrinter()
            .writeValue(out.toFile(), report);
      }
    }
    return 0;
  }

  private GeneratedSamples.Drawn draw(RunConfig run, GeneratedSamples.Settings sampling, int size)
      throws Exception {
    Duration timeout = Duration.ofMinutes(10);
    if (server != null) {
      return GeneratedSamples.draw(
          new ServeClient(server, timeout), sampling, count, perRequest, size);
    }
    ServeOptions options = GeneratedSamples.servingOptions(perRequest, timeout);
    try (S3Buckets buckets = new S3Buckets(S3Settings.forRun(run.storage(), env()));
        Serving serving =
            Serving.start(run, options, buckets::forBucket, TaskExecution.scratch(env()))) {
      URI base = URI.create("http://127.0.0.1:" + serving.port());
      return GeneratedSamples.draw(
          new ServeClient(base, timeout), sampling, count, perRequest, size);
    }
  }

  private static SyntheticDataset shapesData(RunConfig run) {
    String uri = run.dataset().getUri();
    if (!SyntheticDataset.isSynthetic(uri)
        || !SyntheticDataset.SHAPES.equals(SyntheticDataset.parse(uri).generator())) {
      throw new IllegalArgumentException(
          "evaluate measures synthetic://shapes runs, whose factors are known; run "
              + run.runName()
              + " trains on "
              + uri);
    }
    if (run.dataset().getChannels() != 3) {
      throw new IllegalArgumentException(
          "evaluate measures RGB shapes; dataset.channels is " + run.dataset().getChannels());
    }
    return SyntheticDataset.parse(uri);
  }

  /** The options, with the run's inference defaults where one is not given. */
  private GeneratedSamples.Settings sampling(InferenceSpec defaults) {
    if (expert != null && (strategy != null || topK != null)) {
      throw new IllegalArgumentException(
          "--expert samples one expert; leave out --strategy and --top-k");
    }
    String chosenSampler =
        sampler != null ? sampler : defaults.getSampler().name().toLowerCase(Locale.ROOT);
    if (!chosenSampler.equals("euler") && !chosenSampler.equals("heun")) {
      throw new IllegalArgumentException("--sampler must be euler or heun, got " + sampler);
    }
    int chosenSteps = steps != null ? steps : defaults.getSamplingSteps();
    if (chosenSteps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1");
    }
    String chosenStrategy = null;
    Integer chosenTopK = null;
    if (defaults.servesStudent()) {
      if (expert != null || strategy != null || topK != null) {
        throw new IllegalArgumentException(
            "--model student samples the student alone; leave out --strategy, --top-k and --expert");
      }
      chosenStrategy = "top1";
    } else if (expert == null) {
      chosenStrategy =
          strategy != null ? strategy : defaults.getStrategy().name().toLowerCase(Locale.ROOT);
      chosenTopK = topK;
      if ("topk".equals(chosenStrategy) && chosenTopK == null) {
        chosenTopK = defaults.getTopK();
        if (chosenTopK == null) {
          throw new IllegalArgumentException("--top-k is needed: the run sets no inference.topK");
        }
      }
    }
    return new GeneratedSamples.Settings(
        chosenStrategy, chosenTopK, expert, chosenSampler, chosenSteps, seed);
  }

  private static Routing routing(GeneratedSamples.Settings sampling) {
    InferenceStrategy parsed;
    try {
      parsed = InferenceStrategy.valueOf(sampling.strategy().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--strategy must be top1, topk, full or sample, got " + sampling.strategy());
    }
    int k = sampling.topK() != null ? sampling.topK() : 1;
    return new Routing(parsed, k);
  }

  private static String arm(GeneratedSamples.Settings s, boolean student) {
    String model =
        student
            ? "student"
            : s.expert() != null
                ? "expert " + s.expert() + " alone"
                : s.strategy() + (s.topK() != null ? " k=" + s.topK() : "");
    return model + ", " + s.sampler() + " " + s.steps() + " steps, seed " + s.seed();
  }
}
